package org.kafkatrain.testing;

import io.restassured.RestAssured;
import io.restassured.filter.Filter;
import io.restassured.filter.FilterContext;
import io.restassured.response.Response;
import io.restassured.specification.FilterableRequestSpecification;
import io.restassured.specification.FilterableResponseSpecification;

/** Adds the tests' stack token to each RestAssured request that sets no {@code Authorization} of its own. */
final class TokenFilter implements Filter {
    private static final String AUTHORIZATION = "Authorization";

    private final String token;

    private TokenFilter(String token) {
        this.token = token;
    }

    /** Installs the filter once per JVM: a Quarkus test starts this resource again for each test profile. */
    static synchronized void carry(String token) {
        if (RestAssured.filters().stream().noneMatch(TokenFilter.class::isInstance)) {
            RestAssured.filters(new TokenFilter(token));
        }
    }

    @Override
    public Response filter(
            FilterableRequestSpecification request, FilterableResponseSpecification response, FilterContext context) {
        if (!request.getHeaders().hasHeaderWithName(AUTHORIZATION)) {
            request.header(AUTHORIZATION, "Bearer " + token);
        }
        return context.next(request, response);
    }
}
