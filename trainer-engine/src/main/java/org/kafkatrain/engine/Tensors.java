package org.kafkatrain.engine;

import static org.bytedeco.pytorch.global.torch.empty;

import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.pytorch.MemoryFormatOptional;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptions;
import org.bytedeco.pytorch.global.torch.ScalarType;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** Copies between libtorch tensors and Java arrays. */
public final class Tensors {
    private Tensors() {}

    public static TensorData toData(Tensor tensor) {
        Tensor cpu = tensor.detach().cpu().contiguous();
        TensorData.DType dtype = dtypeOf(cpu.scalar_type());
        long[] shape = shape(cpu);
        byte[] bytes = new byte[Math.toIntExact(cpu.nbytes())];
        if (bytes.length > 0) {
            new BytePointer(cpu.data_ptr()).capacity(bytes.length).get(bytes);
        }
        return new TensorData(dtype, shape, bytes);
    }

    /** A new CPU tensor holding a copy of {@code data}. */
    public static Tensor fromData(TensorData data) {
        Tensor t = empty(data.shape(), new TensorOptions(scalarTypeOf(data.dtype())), new MemoryFormatOptional());
        if (data.data().length > 0) {
            new BytePointer(t.data_ptr()).capacity(data.data().length).put(data.data());
        }
        return t;
    }

    public static Tensor floats(float[] values, long... shape) {
        Tensor t = empty(shape, new TensorOptions(ScalarType.Float), new MemoryFormatOptional());
        t.data_ptr_float().put(values);
        return t;
    }

    /** A new 1-D int64 CPU tensor holding {@code values} (class labels, as cross-entropy takes them). */
    public static Tensor longs(long... values) {
        ByteBuffer bytes = ByteBuffer.allocate(values.length * 8).order(ByteOrder.LITTLE_ENDIAN);
        for (long v : values) {
            bytes.putLong(v);
        }
        return fromData(new TensorData(TensorData.DType.INT64, new long[] {values.length}, bytes.array()));
    }

    public static float[] toFloats(Tensor tensor) {
        Tensor cpu = tensor.detach().cpu().contiguous().to(ScalarType.Float);
        float[] out = new float[Math.toIntExact(cpu.numel())];
        cpu.data_ptr_float().get(out);
        return out;
    }

    public static long[] shape(Tensor tensor) {
        long[] shape = new long[(int) tensor.dim()];
        for (int i = 0; i < shape.length; i++) {
            shape[i] = tensor.size(i);
        }
        return shape;
    }

    static TensorData.DType dtypeOf(ScalarType type) {
        // Enum values built by native code are fresh instances without a name: intern() maps them to the constants.
        return switch (type.intern()) {
            case Float -> TensorData.DType.FLOAT32;
            case Double -> TensorData.DType.FLOAT64;
            case Long -> TensorData.DType.INT64;
            case Byte -> TensorData.DType.UINT8;
            default -> throw new IllegalArgumentException("no checkpoint dtype for " + type);
        };
    }

    static ScalarType scalarTypeOf(TensorData.DType dtype) {
        return switch (dtype) {
            case FLOAT32 -> ScalarType.Float;
            case FLOAT64 -> ScalarType.Double;
            case INT64 -> ScalarType.Long;
            case UINT8 -> ScalarType.Byte;
        };
    }
}
