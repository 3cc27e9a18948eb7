package org.kafkatrain.engine;

import org.bytedeco.pytorch.Device;
import org.bytedeco.pytorch.MemoryFormatOptional;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch.ScalarType;

import java.util.List;

/**
 * A batch's uint8 NHWC pixels to the model's input on the device: float NCHW scaled to [0, 1], grayscale repeated to
 * three channels, normalized per channel, as torchvision's {@code ToTensor()} then {@code Normalize(mean, std)}. The
 * trainer and the inference service share it, so a prediction sees exactly what evaluation saw.
 */
public final class InputTransform {
    private final Device device;
    private final boolean cuda;
    private final Tensor mean;
    private final Tensor std;

    public InputTransform(List<Double> mean, List<Double> std, Device device) {
        this.device = device;
        this.cuda = device.is_cuda();
        this.mean = channelConstants(mean);
        this.std = channelConstants(std);
    }

    /** The pixels of {@code batch} as a normalized float NCHW tensor on the device. */
    public Tensor apply(Batch batch) {
        long n = batch.size();
        Tensor u8 = Tensors.fromData(new TensorData(
                TensorData.DType.UINT8,
                new long[] {n, batch.height(), batch.width(), batch.channels()},
                batch.pixels()));
        Tensor x = onDevice(u8).to(ScalarType.Float).permute(0, 3, 1, 2).div(new Scalar(255.0));
        if (batch.channels() == 1) {
            x = x.expand(n, 3, batch.height(), batch.width());
        }
        return x.sub(mean).div(std).contiguous();
    }

    /**
     * The uint8 pixels on the device, still uint8 (a quarter of float32's bytes over the bus): on CUDA from pinned
     * host memory with a non-blocking copy, as a {@code DataLoader(pin_memory=True)} feeds
     * {@code x.to(device, non_blocking=True)}, so the host goes on while the copy runs in the stream's order.
     */
    private Tensor onDevice(Tensor u8) {
        if (!cuda) {
            return u8;
        }
        return u8.pin_memory().to(device, ScalarType.Byte, true, false, new MemoryFormatOptional());
    }

    private Tensor channelConstants(List<Double> values) {
        float[] f = {
            values.get(0).floatValue(),
            values.get(1).floatValue(),
            values.get(2).floatValue()
        };
        return Tensors.floats(f, 1, 3, 1, 1).to(device, ScalarType.Float);
    }
}
