package org.kafkatrain.trainer.run;

import org.kafkatrain.store.CheckpointStore;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Where a run's {@code initWeights} come from: an object in the bucket, or a {@code file:} path, which only names a
 * regular file under the operator's {@code trainer.init-weights-dir}. A caller learns nothing of the host's files:
 * a path outside the directory, a missing file, a FIFO or a device all get the same answer, at {@code POST /runs},
 * before anything is read; and no source is read past {@code trainer.max-init-weights-bytes}.
 */
final class InitWeights {
    private static final String FILE = "file:";

    private final Optional<Path> dir;
    private final long maxBytes;

    InitWeights(Optional<Path> dir, long maxBytes) {
        this.dir = dir;
        this.maxBytes = maxBytes;
    }

    /** Throws IllegalArgumentException (400) when {@code source} is a {@code file:} path this trainer may not read. */
    void check(String source) {
        if (source != null && source.startsWith(FILE)) {
            file(source);
        }
    }

    /** The weights' bytes, from the bucket or the allowed directory; reading past the size limit fails. */
    InputStream open(String source, CheckpointStore store) throws IOException {
        InputStream in = source.startsWith(FILE) ? Files.newInputStream(file(source)) : store.open(source);
        return new Bounded(in, source, maxBytes);
    }

    private Path file(String source) {
        String refused = "initWeights " + source + " is not a regular file of at most " + maxBytes + " bytes under"
                + " trainer.init-weights-dir"
                + dir.map(d -> " (" + d + ")")
                        .orElse(", which is unset: file: paths" + " are refused; give an object key in the bucket");
        if (dir.isEmpty()) {
            throw new IllegalArgumentException(refused);
        }
        try {
            Path allowed = dir.get().toRealPath();
            Path file = allowed.resolve(source.substring(FILE.length())).toRealPath();
            if (file.startsWith(allowed) && Files.isRegularFile(file) && Files.size(file) <= maxBytes) {
                return file;
            }
        } catch (IOException | RuntimeException e) {
            // missing, unreadable or malformed: told apart from "not allowed" by nobody
        }
        throw new IllegalArgumentException(refused);
    }

    /** Fails the read once more than {@code max} bytes came, where a truncated stream would read as a corrupt file. */
    private static final class Bounded extends FilterInputStream {
        private final String source;
        private final long max;
        private long read;

        Bounded(InputStream in, String source, long max) {
            super(in);
            this.source = source;
            this.max = max;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            count(b < 0 ? 0 : 1);
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = super.read(buffer, offset, length);
            count(Math.max(n, 0));
            return n;
        }

        private void count(int n) throws IOException {
            read += n;
            if (read > max) {
                throw new IOException(
                        "initWeights " + source + " is larger than trainer.max-init-weights-bytes (" + max + " bytes)");
            }
        }
    }
}
