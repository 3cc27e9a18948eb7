package org.kafkatrain.contracts.security;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import java.util.Optional;

class ApiTokenTest {
    private static final Optional<String> TOKEN = Optional.of("s3cret-token");

    @Test
    void onlyRequestsThatChangeStateAreGuarded() {
        assertThat(ApiToken.guards("POST")).isTrue();
        assertThat(ApiToken.guards("DELETE")).isTrue();
        assertThat(ApiToken.guards("PUT")).isTrue();
        assertThat(ApiToken.guards("GET")).isFalse();
        assertThat(ApiToken.guards("HEAD")).isFalse();
    }

    @Test
    void theConfiguredBearerTokenIsAdmittedAndNothingElse() {
        assertThat(ApiToken.admits(TOKEN, "Bearer s3cret-token")).isTrue();
        assertThat(ApiToken.admits(TOKEN, "bearer s3cret-token"))
                .as("the scheme is case-insensitive")
                .isTrue();
        assertThat(ApiToken.admits(TOKEN, null)).isFalse();
        assertThat(ApiToken.admits(TOKEN, "")).isFalse();
        assertThat(ApiToken.admits(TOKEN, "Bearer s3cret-toke")).isFalse();
        assertThat(ApiToken.admits(TOKEN, "Bearer s3cret-token2")).isFalse();
        assertThat(ApiToken.admits(TOKEN, "Basic czNjcmV0LXRva2Vu")).isFalse();
        assertThat(ApiToken.admits(TOKEN, "s3cret-token")).isFalse();
    }

    @Test
    void withNoTokenConfiguredNoRequestPasses() {
        assertThat(ApiToken.admits(Optional.empty(), null)).isFalse();
        assertThat(ApiToken.admits(Optional.empty(), "Bearer ")).isFalse();
        assertThat(ApiToken.admits(Optional.of(" "), "Bearer  ")).isFalse();
    }
}
