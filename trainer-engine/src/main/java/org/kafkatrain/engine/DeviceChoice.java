package org.kafkatrain.engine;

import static org.bytedeco.pytorch.global.torch.cuda_device_count;
import static org.bytedeco.pytorch.global.torch.cuda_is_available;

import org.bytedeco.pytorch.Device;
import org.bytedeco.pytorch.global.torch.DeviceType;

import java.util.logging.Logger;

/** Picks the training device from configuration: {@code auto} (CUDA when libtorch sees a GPU), {@code cpu} or {@code cuda[:N]}. */
public final class DeviceChoice {
    private static final Logger LOG = Logger.getLogger(DeviceChoice.class.getName());

    private DeviceChoice() {}

    public static Device select(String requested) {
        String want = requested == null ? "auto" : requested.trim().toLowerCase();
        boolean cuda = cuda_is_available();
        if (want.equals("cpu")) {
            LOG.info("training on CPU: requested by configuration");
            return new Device(DeviceType.CPU);
        }
        if (want.equals("auto") && !cuda) {
            LOG.info("training on CPU: libtorch reports no CUDA device (CPU natives, no driver, or no GPU)");
            return new Device(DeviceType.CPU);
        }
        if (!cuda) {
            throw new IllegalStateException(
                    "device '" + requested
                            + "' requested but libtorch reports no CUDA device; build with -Pgpu and run where a GPU and driver are present");
        }
        int index = want.startsWith("cuda:") ? Integer.parseInt(want.substring(5)) : 0;
        if (index >= cuda_device_count()) {
            throw new IllegalStateException("CUDA device " + index + " requested, " + cuda_device_count() + " present");
        }
        LOG.info("training on CUDA device " + index + " of " + cuda_device_count());
        return new Device(DeviceType.CUDA, (byte) index);
    }
}
