package org.kafkatrain.engine;

import static org.bytedeco.pytorch.global.torch.relu_;

import org.bytedeco.javacpp.LongPointer;
import org.bytedeco.pytorch.BatchNorm2dImpl;
import org.bytedeco.pytorch.BatchNormOptions;
import org.bytedeco.pytorch.Conv2dImpl;
import org.bytedeco.pytorch.Conv2dOptions;
import org.bytedeco.pytorch.Module;
import org.bytedeco.pytorch.Tensor;

/**
 * torchvision's ResNet V1.5 bottleneck: 1x1 reduce, 3x3 (carrying the stride), 1x1 expand by {@link #EXPANSION},
 * plus the identity or a 1x1 projection ({@code downsample.0} conv, {@code downsample.1} batch norm).
 */
final class Bottleneck extends Module {
    static final int EXPANSION = 4;

    private final Conv2dImpl conv1;
    private final BatchNorm2dImpl bn1;
    private final Conv2dImpl conv2;
    private final BatchNorm2dImpl bn2;
    private final Conv2dImpl conv3;
    private final BatchNorm2dImpl bn3;
    // Java references to every module created here: registration alone does not keep the Java peers alive.
    private final Module downsample;
    private final Conv2dImpl downsampleConv;
    private final BatchNorm2dImpl downsampleBn;

    Bottleneck(long inplanes, long planes, long stride) {
        long width = planes;
        conv1 = register_module("conv1", conv(inplanes, width, 1, 1, 0));
        bn1 = register_module("bn1", batchNorm(width));
        conv2 = register_module("conv2", conv(width, width, 3, stride, 1));
        bn2 = register_module("bn2", batchNorm(width));
        conv3 = register_module("conv3", conv(width, planes * EXPANSION, 1, 1, 0));
        bn3 = register_module("bn3", batchNorm(planes * EXPANSION));
        if (stride != 1 || inplanes != planes * EXPANSION) {
            downsample = register_module("downsample", new Module());
            downsampleConv = downsample.register_module("0", conv(inplanes, planes * EXPANSION, 1, stride, 0));
            downsampleBn = downsample.register_module("1", batchNorm(planes * EXPANSION));
        } else {
            downsample = null;
            downsampleConv = null;
            downsampleBn = null;
        }
    }

    /**
     * In place where torchvision is ({@code ReLU(inplace=True)}, {@code out += identity}): a batch norm's backward
     * needs its input, not its output, so its output can be overwritten, which saves an activation-sized allocation
     * and write per op. The in-place calls return non-owning aliases, so {@code out} stays the tensor used.
     */
    Tensor forward(Tensor x) {
        Tensor out = bn1.forward(conv1.forward(x));
        relu_(out);
        out = bn2.forward(conv2.forward(out));
        relu_(out);
        out = bn3.forward(conv3.forward(out));
        out.add_(downsample == null ? x : downsampleBn.forward(downsampleConv.forward(x)));
        relu_(out);
        return out;
    }

    static Conv2dImpl conv(long in, long out, long kernel, long stride, long padding) {
        Conv2dOptions options = new Conv2dOptions(in, out, new LongPointer(kernel, kernel));
        options.stride().put(new long[] {stride, stride});
        options.padding().put(new LongPointer(padding, padding));
        options.bias().put(false);
        return new Conv2dImpl(options);
    }

    static BatchNorm2dImpl batchNorm(long features) {
        return new BatchNorm2dImpl(new BatchNormOptions(features));
    }
}
