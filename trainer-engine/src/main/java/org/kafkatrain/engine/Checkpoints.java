package org.kafkatrain.engine;

import static org.bytedeco.pytorch.global.torch.zeros_like;

import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A trainer's state as the tutorial's checkpoint dict, in PyTorch's own layouts: {@code model} is the state dict
 * with torchvision's keys, {@code optimizer} is {@code torch.optim.Adam.state_dict()} (parameters indexed in
 * {@code model.parameters()} order) and {@code lr_scheduler} is {@code StepLR.state_dict()}. So
 * {@code model.load_state_dict(ckpt["model"])} and {@code optimizer.load_state_dict(ckpt["optimizer"])} work on a
 * torchvision resnet50 in Python, and {@link #restore} brings a Java trainer back bit for bit.
 */
public final class Checkpoints {
    private Checkpoints() {}

    /** The checkpoint dict: model, optimizer and lr_scheduler, then {@code extra} (loss, epoch, offsets, ...). */
    public static Map<String, Object> toDict(Trainer trainer, Map<String, ?> extra) {
        Map<String, Object> dict = new LinkedHashMap<>();
        TorchPickle.OrderedMap model = new TorchPickle.OrderedMap();
        StateDict.of(trainer.model()).forEach((name, tensor) -> model.put(name, Tensors.toData(tensor)));
        dict.put("model", model);
        dict.put("optimizer", optimizerState(trainer.optimizer()));
        dict.put("lr_scheduler", schedulerState(trainer.schedule()));
        dict.putAll(extra);
        return dict;
    }

    /** Loads model weights and buffers, Adam's moments and step, and the StepLR epoch from a checkpoint dict. */
    @SuppressWarnings("unchecked")
    public static void restore(Trainer trainer, Map<String, Object> dict) {
        loadModel(trainer.model(), dict);
        Map<String, Object> optimizer = (Map<String, Object>) require(dict, "optimizer");
        Map<Object, Object> state = (Map<Object, Object>) optimizer.get("state");
        AdamOptimizer adam = trainer.optimizer();
        List<Tensor> avg = new ArrayList<>();
        List<Tensor> avgSq = new ArrayList<>();
        long step = 0;
        for (int i = 0; i < adam.params().size(); i++) {
            Map<String, Object> s = (Map<String, Object>) state.get((long) i);
            if (s == null) {
                // Parameter never stepped (a checkpoint before the first step): zero moments, as Adam starts.
                avg.add(zeros_like(adam.expAvg().get(i)));
                avgSq.add(zeros_like(adam.expAvgSq().get(i)));
                continue;
            }
            step = (long) Tensors.toFloats(Tensors.fromData((TensorData) s.get("step")))[0];
            avg.add(Tensors.fromData((TensorData) s.get("exp_avg")));
            avgSq.add(Tensors.fromData((TensorData) s.get("exp_avg_sq")));
        }
        adam.restore(step, avg, avgSq);
        Map<String, Object> scheduler = (Map<String, Object>) require(dict, "lr_scheduler");
        trainer.schedule().resumeAt(Math.toIntExact((Long) scheduler.get("last_epoch")), adam);
    }

    /**
     * Copies the weights and buffers of a checkpoint dict's {@code model} entry into {@code model}; the keys must be
     * exactly the model's (torchvision's names), and each tensor's shape must match.
     */
    @SuppressWarnings("unchecked")
    public static void loadModel(ResNet50 model, Map<String, Object> dict) {
        copyInto(model, (Map<String, Object>) require(dict, "model"), false);
    }

    /**
     * A new run's starting weights from a file: torchvision's {@code resnet50().state_dict()} saved with
     * {@code torch.save} (the ImageNet weights a user downloads), or any kafka-train checkpoint (its {@code model}).
     * Every tensor is copied except the classifier ({@code fc.weight}, {@code fc.bias}) when its class count differs
     * from the model's: that layer keeps its fresh initialization, as {@code model.fc = nn.Linear(2048, n)} does in
     * PyTorch's fine-tuning recipe.
     *
     * @return the names left at their initialization (empty, or the classifier's)
     */
    @SuppressWarnings("unchecked")
    public static List<String> initFrom(ResNet50 model, Map<String, Object> file) {
        Map<String, Object> weights = file.get("model") instanceof Map<?, ?> m ? (Map<String, Object>) m : file;
        return copyInto(model, weights, true);
    }

    private static List<String> copyInto(ResNet50 model, Map<String, Object> weights, boolean newClassifier) {
        Map<String, Tensor> own = StateDict.of(model);
        if (!own.keySet().equals(weights.keySet())) {
            List<String> missing = own.keySet().stream()
                    .filter(k -> !weights.containsKey(k))
                    .limit(5)
                    .toList();
            List<String> unexpected = weights.keySet().stream()
                    .filter(k -> !own.containsKey(k))
                    .limit(5)
                    .toList();
            throw new IllegalArgumentException("weights are not ResNet-50's (torchvision's names): "
                    + weights.size() + " tensors vs " + own.size() + ", missing " + missing + ", unexpected "
                    + unexpected);
        }
        List<String> skipped = new ArrayList<>();
        try (NoGradGuard ignored = new NoGradGuard()) {
            for (var entry : own.entrySet()) {
                String name = entry.getKey();
                if (!(weights.get(name) instanceof TensorData stored)) {
                    throw new IllegalArgumentException("weights entry " + name + " is not a tensor");
                }
                long[] shape = entry.getValue().sizes().vec().get();
                if (!Arrays.equals(shape, stored.shape())) {
                    if (newClassifier && name.startsWith("fc.") && stored.shape().length == shape.length) {
                        skipped.add(name);
                        continue;
                    }
                    throw new IllegalArgumentException("tensor " + name + " has shape "
                            + Arrays.toString(stored.shape()) + ", the model's is " + Arrays.toString(shape));
                }
                entry.getValue().copy_(Tensors.fromData(stored));
            }
        }
        return skipped;
    }

    private static Map<String, Object> optimizerState(AdamOptimizer adam) {
        Map<Object, Object> state = new LinkedHashMap<>();
        List<Object> indexes = new ArrayList<>();
        for (int i = 0; i < adam.params().size(); i++) {
            indexes.add((long) i);
            if (adam.stepCount() > 0) {
                Map<String, Object> s = new LinkedHashMap<>();
                // PyTorch keeps Adam's step as a float32 scalar tensor.
                s.put("step", Tensors.toData(Tensors.floats(new float[] {adam.stepCount()})));
                s.put("exp_avg", Tensors.toData(adam.expAvg().get(i)));
                s.put("exp_avg_sq", Tensors.toData(adam.expAvgSq().get(i)));
                state.put((long) i, s);
            }
        }
        Map<String, Object> group = new LinkedHashMap<>();
        group.put("lr", adam.lr());
        group.put("betas", TorchPickle.Tuple.of(adam.beta1(), adam.beta2()));
        group.put("eps", adam.eps());
        group.put("weight_decay", adam.weightDecay());
        group.put("amsgrad", false);
        group.put("maximize", false);
        group.put("foreach", null);
        group.put("capturable", false);
        group.put("differentiable", false);
        group.put("fused", null);
        group.put("decoupled_weight_decay", false);
        group.put("params", indexes);
        Map<String, Object> dict = new LinkedHashMap<>();
        dict.put("state", state);
        dict.put("param_groups", List.of(group));
        return dict;
    }

    private static Map<String, Object> schedulerState(StepLrSchedule schedule) {
        Map<String, Object> dict = new LinkedHashMap<>();
        dict.put("step_size", (long) schedule.stepSize());
        dict.put("gamma", schedule.gamma());
        dict.put("base_lrs", List.of(schedule.baseLr()));
        dict.put("last_epoch", (long) schedule.lastEpoch());
        dict.put("_step_count", (long) schedule.lastEpoch() + 1);
        dict.put("_get_lr_called_within_step", false);
        dict.put("_last_lr", List.of(schedule.currentLr()));
        return dict;
    }

    private static Object require(Map<String, Object> dict, String key) {
        Object value = dict.get(key);
        if (value == null) {
            throw new IllegalArgumentException("checkpoint has no '" + key + "' entry");
        }
        return value;
    }
}
