package org.kafkatrain.trainer.run;

import static org.bytedeco.pytorch.global.torch.cuda_device_count;
import static org.bytedeco.pytorch.global.torch.cuda_is_available;

import java.util.List;
import java.util.Locale;

/**
 * Which device a run starting now gets. With several GPUs and runs at once, a run asking for {@code auto} or
 * {@code cuda} gets the first GPU no other running run holds, so concurrent runs do not share one; a run naming
 * {@code cpu} or {@code cuda:N} gets what it names. CPU runs share the process's intra-op threads.
 */
final class RunDevices {
    private RunDevices() {}

    static String pick(String requested, List<String> inUse) {
        String want = requested == null ? "auto" : requested.trim().toLowerCase(Locale.ROOT);
        if (!(want.equals("auto") || want.equals("cuda")) || !cuda_is_available() || cuda_device_count() < 2) {
            return requested;
        }
        for (int i = 0; i < cuda_device_count(); i++) {
            if (!inUse.contains("cuda:" + i)) {
                return "cuda:" + i;
            }
        }
        return requested; // more runs than GPUs: libtorch's default device
    }
}
