package org.kafkatrain.contracts.runs;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Locale;

/**
 * The arithmetic a run trains in, with PyTorch's meaning of each setting. The weights, Adam's moments and every
 * checkpoint stay float32 in all three.
 */
public enum Precision {
    /**
     * PyTorch's defaults: float32 tensors, matrix multiplies in full float32; cuDNN convolutions may use TF32 on
     * GPUs that have it, as {@code torch.backends.cudnn.allow_tf32} defaults to true.
     */
    FP32,
    /**
     * TF32 in cuBLAS matrix multiplies too ({@code torch.backends.cuda.matmul.allow_tf32 = True}): a CUDA setting,
     * and a no-op on the CPU.
     */
    TF32,
    /**
     * The forward pass under bfloat16 autocast ({@code torch.autocast(device, dtype=torch.bfloat16)}): convolutions
     * and linear layers run in bf16, the loss is taken in float32, gradients reach the float32 weights. libtorch's
     * CPU autocast has bf16 too, so it runs (and is tested) on the CPU.
     */
    BF16;

    /** A run spec's spelling ({@code fp32}, {@code tf32}, {@code bf16}, any case). */
    @JsonCreator
    public static Precision parse(String value) {
        for (Precision p : values()) {
            if (p.name().equalsIgnoreCase(value)) {
                return p;
            }
        }
        throw new IllegalArgumentException("precision must be fp32, tf32 or bf16: " + value);
    }

    /** As a run spec writes it. */
    @JsonValue
    public String json() {
        return name().toLowerCase(Locale.ROOT);
    }
}
