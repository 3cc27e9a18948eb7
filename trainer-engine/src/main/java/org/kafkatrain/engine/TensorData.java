package org.kafkatrain.engine;

import java.util.Arrays;

/**
 * A tensor's contents on the Java heap, in the form a checkpoint file stores them: dtype, shape and the raw
 * little-endian bytes of a contiguous CPU tensor.
 */
public record TensorData(DType dtype, long[] shape, byte[] data) {
    public TensorData {
        long expected = numel(shape) * dtype.bytes;
        if (data.length != expected) {
            throw new IllegalArgumentException(
                    dtype + Arrays.toString(shape) + " needs " + expected + " bytes, got " + data.length);
        }
    }

    public long numel() {
        return numel(shape);
    }

    static long numel(long[] shape) {
        long n = 1;
        for (long s : shape) {
            n *= s;
        }
        return n;
    }

    /** The dtypes a checkpoint holds, with the storage class names PyTorch pickles them under. */
    public enum DType {
        FLOAT32(4, "FloatStorage"),
        FLOAT64(8, "DoubleStorage"),
        INT64(8, "LongStorage"),
        UINT8(1, "ByteStorage");

        final int bytes;
        final String storageClass;

        DType(int bytes, String storageClass) {
            this.bytes = bytes;
            this.storageClass = storageClass;
        }

        static DType ofStorage(String storageClass) {
            for (DType d : values()) {
                if (d.storageClass.equals(storageClass)) {
                    return d;
                }
            }
            throw new IllegalArgumentException("unsupported storage type torch." + storageClass);
        }
    }
}
