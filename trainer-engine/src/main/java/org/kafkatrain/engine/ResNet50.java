package org.kafkatrain.engine;

import static org.bytedeco.pytorch.global.torch.flatten;
import static org.bytedeco.pytorch.global.torch.kaiming_normal_;
import static org.bytedeco.pytorch.global.torch.relu_;

import org.bytedeco.javacpp.LongPointer;
import org.bytedeco.pytorch.AdaptiveAvgPool2dImpl;
import org.bytedeco.pytorch.BatchNorm2dImpl;
import org.bytedeco.pytorch.Conv2dImpl;
import org.bytedeco.pytorch.FanModeType;
import org.bytedeco.pytorch.LinearImpl;
import org.bytedeco.pytorch.LongOptional;
import org.bytedeco.pytorch.LongOptionalVector;
import org.bytedeco.pytorch.MaxPool2dImpl;
import org.bytedeco.pytorch.MaxPool2dOptions;
import org.bytedeco.pytorch.Module;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Nonlinearity;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.kFanOut;
import org.bytedeco.pytorch.kReLU;

import java.util.ArrayList;
import java.util.List;

/**
 * ResNet-50 exactly as torchvision's {@code resnet50(num_classes=N)} builds it: bottleneck blocks [3, 4, 6, 3],
 * stride on the 3x3 convolution (V1.5), kaiming-normal (fan_out, relu) convolutions, batch norms at weight 1 and
 * bias 0, and the same parameter and buffer names ({@code layer1.0.downsample.1.running_mean}, {@code fc.bias}, ...),
 * so that its state dict loads into torchvision and back.
 */
public final class ResNet50 extends Module {
    private static final int[] BLOCKS = {3, 4, 6, 3};

    private final Conv2dImpl conv1;
    private final BatchNorm2dImpl bn1;
    private final MaxPool2dImpl maxpool;
    private final List<Module> layers = new ArrayList<>();
    private final List<List<Bottleneck>> blocks = new ArrayList<>();
    private final AdaptiveAvgPool2dImpl avgpool;
    private final LinearImpl fc;
    private final int numClasses;

    public ResNet50(int numClasses) {
        this.numClasses = numClasses;
        conv1 = register_module("conv1", Bottleneck.conv(3, 64, 7, 2, 3));
        bn1 = register_module("bn1", Bottleneck.batchNorm(64));
        MaxPool2dOptions pool = new MaxPool2dOptions(new LongPointer(3L, 3L));
        pool.stride().put(new long[] {2, 2});
        pool.padding().put(new long[] {1, 1});
        maxpool = register_module("maxpool", new MaxPool2dImpl(pool));
        long inplanes = 64;
        for (int i = 0; i < BLOCKS.length; i++) {
            long planes = 64L << i;
            long stride = i == 0 ? 1 : 2;
            Module layer = register_module("layer" + (i + 1), new Module());
            List<Bottleneck> layerBlocks = new ArrayList<>();
            for (int b = 0; b < BLOCKS[i]; b++) {
                Bottleneck block = layer.register_module(
                        Integer.toString(b), new Bottleneck(inplanes, planes, b == 0 ? stride : 1));
                layerBlocks.add(block);
                inplanes = planes * Bottleneck.EXPANSION;
            }
            layers.add(layer);
            blocks.add(layerBlocks);
        }
        avgpool = register_module(
                "avgpool",
                new AdaptiveAvgPool2dImpl(new LongOptionalVector(new LongOptional(1), new LongOptional(1)).front()));
        fc = register_module("fc", new LinearImpl(512L * Bottleneck.EXPANSION, numClasses));
        initialize();
    }

    public int numClasses() {
        return numClasses;
    }

    public Tensor forward(Tensor x) {
        Tensor stem = bn1.forward(conv1.forward(x));
        relu_(stem); // in place, as torchvision's ReLU(inplace=True); see Bottleneck
        x = maxpool.forward(stem);
        for (List<Bottleneck> layer : blocks) {
            for (Bottleneck block : layer) {
                x = block.forward(x);
            }
        }
        return fc.forward(flatten(avgpool.forward(x), 1, -1));
    }

    /** torchvision's init: convolutions kaiming-normal (fan_out, relu); batch norm weight 1, bias 0; fc as nn.Linear. */
    private void initialize() {
        try (NoGradGuard ignored = new NoGradGuard()) {
            FanModeType fanOut = new FanModeType(new kFanOut());
            Nonlinearity reluGain = new Nonlinearity(new kReLU());
            for (var entry : StateDict.namedParameters(this).entrySet()) {
                if (entry.getValue().dim() == 4) {
                    kaiming_normal_(entry.getValue(), 0.0, fanOut, reluGain);
                }
            }
        }
    }
}
