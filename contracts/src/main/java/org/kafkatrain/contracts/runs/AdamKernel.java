package org.kafkatrain.contracts.runs;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Locale;

/** How Adam's step is computed; both keep the same state and checkpoint layout, and agree within float rounding. */
public enum AdamKernel {
    /** ATen's {@code _fused_adam_}: one pass over all parameters, as {@code torch.optim.Adam(fused=True)}. */
    FUSED,
    /** The per-parameter loop, the reference the fused kernel is tested against. */
    FOR_LOOP;

    /** A run spec's spelling: {@code fused}, {@code for-loop} (or {@code FOR_LOOP}). */
    @JsonCreator
    public static AdamKernel parse(String value) {
        for (AdamKernel k : values()) {
            if (k.name().equalsIgnoreCase(value.replace('-', '_'))) {
                return k;
            }
        }
        throw new IllegalArgumentException("adam must be fused or for-loop: " + value);
    }

    /** As a run spec writes it. */
    @JsonValue
    public String json() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
