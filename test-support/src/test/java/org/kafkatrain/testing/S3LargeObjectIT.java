package org.kafkatrain.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.minio.BucketExistsArgs;
import io.minio.GetObjectArgs;
import io.minio.ListObjectsArgs;
import io.minio.MakeBucketArgs;
import io.minio.MinioClient;
import io.minio.PutObjectArgs;
import io.minio.RemoveObjectArgs;
import io.minio.Result;
import io.minio.StatObjectArgs;
import io.minio.messages.Item;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.InputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** A checkpoint-sized object through the MinIO Java SDK against the local stack's real S3 server. */
@ExtendWith(LocalStackExtension.class)
class S3LargeObjectIT {
    private static final int SIZE = 100 * 1024 * 1024;

    @Test
    void putListGetOf100MegabytesThroughMinioSdk() throws Exception {
        LocalStack stack = LocalStack.ensureRunning();
        MinioClient s3 = MinioClient.builder()
                .endpoint(stack.s3Endpoint())
                .credentials(stack.s3AccessKey(), stack.s3SecretKey())
                .build();
        String bucket = "it-large-objects";
        if (!s3.bucketExists(BucketExistsArgs.builder().bucket(bucket).build())) {
            s3.makeBucket(MakeBucketArgs.builder().bucket(bucket).build());
        }
        String key = "runs/it/epoch-0000.tar";

        MessageDigest sent = MessageDigest.getInstance("SHA-256");
        try (InputStream in = new DigestingRandomStream(SIZE, new Random(42), sent)) {
            // 16 MiB parts: the SDK uploads this as a multipart upload of 7 parts.
            s3.putObject(PutObjectArgs.builder().bucket(bucket).object(key).stream(in, SIZE, 16 * 1024 * 1024)
                    .build());
        }
        System.out.printf("[s3] put %d bytes to %s/%s/%s%n", SIZE, stack.s3Endpoint(), bucket, key);

        assertThat(s3.statObject(StatObjectArgs.builder()
                                .bucket(bucket)
                                .object(key)
                                .build())
                        .size())
                .isEqualTo(SIZE);
        List<String> listed = new ArrayList<>();
        for (Result<Item> item : s3.listObjects(ListObjectsArgs.builder()
                .bucket(bucket)
                .prefix("runs/it/")
                .recursive(true)
                .build())) {
            listed.add(item.get().objectName() + ":" + item.get().size());
        }
        assertThat(listed).containsExactly(key + ":" + SIZE);

        MessageDigest received = MessageDigest.getInstance("SHA-256");
        long bytes = 0;
        try (InputStream in =
                s3.getObject(GetObjectArgs.builder().bucket(bucket).object(key).build())) {
            byte[] buffer = new byte[1 << 20];
            for (int n; (n = in.read(buffer)) > 0; ) {
                received.update(buffer, 0, n);
                bytes += n;
            }
        }
        assertThat(bytes).isEqualTo(SIZE);
        assertThat(received.digest()).isEqualTo(sent.digest());

        try (InputStream in = s3.getObject(GetObjectArgs.builder()
                .bucket(bucket)
                .object(key)
                .offset(SIZE - 10L)
                .length(10L)
                .build())) {
            assertThat(in.readAllBytes()).hasSize(10);
        }
        s3.removeObject(RemoveObjectArgs.builder().bucket(bucket).object(key).build());
    }

    /** Pseudo-random bytes generated as they are read, hashed on the way, so 100 MB never sits in memory. */
    private static final class DigestingRandomStream extends InputStream {
        private final Random random;
        private final MessageDigest digest;
        private long remaining;

        DigestingRandomStream(long size, Random random, MessageDigest digest) {
            this.remaining = size;
            this.random = random;
            this.digest = digest;
        }

        @Override
        public int read() {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (remaining == 0) {
                return -1;
            }
            int n = (int) Math.min(len, remaining);
            byte[] chunk = new byte[n];
            random.nextBytes(chunk);
            System.arraycopy(chunk, 0, b, off, n);
            digest.update(chunk);
            remaining -= n;
            return n;
        }
    }
}
