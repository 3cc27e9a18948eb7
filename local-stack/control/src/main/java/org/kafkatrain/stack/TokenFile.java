package org.kafkatrain.stack;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * A secret kept in a file of its owner's only (mode 0600), generated at first use: 32 random bytes, URL-safe
 * Base64. Written to a temporary file created with that mode, then linked into place: no other user can open it
 * between creation and a chmod, and a process of the stack starting beside this one never reads it half written.
 */
final class TokenFile {
    private static final int BYTES = 32;

    private TokenFile() {}

    static String readOrCreate(Path file) {
        try {
            if (!Files.exists(file)) {
                create(file);
            }
            String token = Files.readString(file, StandardCharsets.UTF_8).strip();
            if (token.isEmpty()) {
                throw new StackException(file + " is empty: delete it and a new token is generated");
            }
            return token;
        } catch (IOException e) {
            throw new StackException("cannot read or create the API token in " + file + ": " + e.getMessage());
        }
    }

    private static void create(Path file) throws IOException {
        Files.createDirectories(file.getParent());
        byte[] secret = new byte[BYTES];
        new SecureRandom().nextBytes(secret);
        Path written = Files.createTempFile(
                file.getParent(),
                ".api-token",
                ".tmp",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        try {
            Files.writeString(written, Base64.getUrlEncoder().withoutPadding().encodeToString(secret) + "\n");
            Files.createLink(file, written);
        } catch (FileAlreadyExistsException raced) {
            // another process of the stack generated it first: theirs is the token
        } finally {
            Files.delete(written);
        }
    }
}
