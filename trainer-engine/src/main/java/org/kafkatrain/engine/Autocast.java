package org.kafkatrain.engine;

import static org.bytedeco.pytorch.global.torch.clear_cache;
import static org.bytedeco.pytorch.global.torch.decrement_nesting;
import static org.bytedeco.pytorch.global.torch.get_autocast_dtype;
import static org.bytedeco.pytorch.global.torch.increment_nesting;
import static org.bytedeco.pytorch.global.torch.is_autocast_enabled;
import static org.bytedeco.pytorch.global.torch.set_autocast_dtype;
import static org.bytedeco.pytorch.global.torch.set_autocast_enabled;

import org.bytedeco.pytorch.global.torch.DeviceType;
import org.bytedeco.pytorch.global.torch.ScalarType;

/**
 * A region of bfloat16 autocast on one device type, what {@code with torch.autocast(device, dtype=torch.bfloat16):}
 * does in Python: enable, set the dtype, enter a nesting level; on close leave it, drop the cast weights' cache when
 * the outermost region ends, and put the previous flag and dtype back. libtorch keeps this state per thread.
 */
final class Autocast implements AutoCloseable {
    private final boolean enabled;
    private final DeviceType deviceType;
    private final boolean wasEnabled;
    private final ScalarType previousType;

    private Autocast(DeviceType deviceType, boolean enabled) {
        this.enabled = enabled;
        this.deviceType = deviceType;
        this.wasEnabled = enabled && is_autocast_enabled(deviceType);
        this.previousType = enabled ? get_autocast_dtype(deviceType).intern() : null;
        if (enabled) {
            set_autocast_enabled(deviceType, true);
            set_autocast_dtype(deviceType, ScalarType.BFloat16);
            increment_nesting();
        }
    }

    /** bf16 autocast on {@code deviceType} when {@code enabled}, else a region that changes nothing. */
    static Autocast bf16(DeviceType deviceType, boolean enabled) {
        return new Autocast(deviceType, enabled);
    }

    @Override
    public void close() {
        if (!enabled) {
            return;
        }
        if (decrement_nesting() == 0) {
            clear_cache();
        }
        set_autocast_enabled(deviceType, wasEnabled);
        set_autocast_dtype(deviceType, previousType);
    }
}
