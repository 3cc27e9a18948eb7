package org.kafkatrain.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/** Files that Python's own {@code torch.save} wrote (tools/make_python_pickles.py), read by the Java reader. */
class PythonSavedFilesTest {
    @Test
    void noneReadsAsNullWhereverPythonPutIt() throws IOException {
        Map<String, Object> d;
        try (InputStream in = getClass().getResourceAsStream("/python-saved/nones.pt")) {
            d = TorchCheckpointFile.read(in);
        }
        assertThat(d).containsEntry("none", null);
        assertThat(((TorchPickle.Tuple) d.get("tuple_with_none")).items()).containsExactly(null, 1L);
        assertThat(((TorchPickle.Tuple) d.get("one_tuple")).items()).containsExactly((Object) null);
        assertThat(((TorchPickle.Tuple) d.get("triple")).items()).containsExactly(null, null, 3L);
        assertThat(list(d.get("list_with_none"))).containsExactly(null, 2L);
        assertThat(map(d.get("dict_with_none"))).containsEntry("k", null);
        List<Object> nested = list(map(d.get("nested")).get("l"));
        assertThat(((TorchPickle.Tuple) nested.get(0)).items()).containsExactly(null, "x");
        float[] tensor = Tensors.toFloats(Tensors.fromData((TensorData) d.get("tensor")));
        assertThat(Arrays.toString(tensor)).isEqualTo("[1.5, -2.0]");
    }

    @Test
    void viewsReadAsPythonSeesThem() throws IOException {
        Map<String, Object> d = read("strided.pt");
        assertThat(floats(d, "transposed")).containsExactly(0, 4, 8, 1, 5, 9, 2, 6, 10, 3, 7, 11);
        assertThat(((TensorData) d.get("transposed")).shape()).containsExactly(4, 3);
        assertThat(floats(d, "every_other")).containsExactly(1, 3, 5, 7);
        assertThat(floats(d, "expanded")).containsExactly(7, 7, 7, 7, 7, 7);
        assertThat(floats(d, "offset")).containsExactly(5, 6, 7);
    }

    /** torchvision's resnet50().state_dict(): every key in order, every shape and every value. */
    @Test
    void torchvisionsStateDictIsResNet50sEntryForEntry() throws IOException {
        Map<String, Object> file = read("resnet50-torchvision-1000.pt");
        Map<String, Tensor> own = StateDict.of(new ResNet50(1000));
        assertThat(List.copyOf(file.keySet())).containsExactlyElementsOf(own.keySet());
        int i = 0;
        for (var entry : own.entrySet()) {
            TensorData stored = (TensorData) file.get(entry.getKey());
            assertThat(stored.shape())
                    .as(entry.getKey())
                    .containsExactly(entry.getValue().sizes().vec().get());
            if (entry.getKey().endsWith("num_batches_tracked")) {
                assertThat(stored.dtype()).isEqualTo(TensorData.DType.INT64);
                assertThat(Tensors.fromData(stored).item_long()).isEqualTo(i);
            } else {
                float expected = value(i);
                assertThat(floats(stored)).as(entry.getKey()).containsOnly(expected);
            }
            i++;
        }
    }

    @Test
    void fineTuningKeepsEveryWeightButAClassifierOfAnotherClassCount() throws IOException {
        ResNet50 model = new ResNet50(10);
        List<String> fresh = Checkpoints.initFrom(model, read("resnet50-torchvision-1000.pt"));
        assertThat(fresh).containsExactly("fc.weight", "fc.bias");
        Map<String, Tensor> weights = StateDict.of(model);
        List<String> names = List.copyOf(weights.keySet());
        for (String name : List.of("conv1.weight", "layer2.3.bn2.running_var", "layer4.2.conv3.weight")) {
            assertThat(Tensors.toFloats(weights.get(name))).as(name).containsOnly(value(names.indexOf(name)));
        }
        assertThat(Tensors.toFloats(weights.get("fc.weight")))
                .hasSize(10 * 2048)
                .doesNotContain(value(names.indexOf("fc.weight")));
        assertThatThrownBy(() -> Checkpoints.initFrom(new ResNet50(10), read("nones.pt")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not ResNet-50's");
    }

    /** The value tools/make_python_pickles.py gives the i-th entry. */
    private static float value(int i) {
        return (float) (((i % 97) - 48) / 64.0);
    }

    private Map<String, Object> read(String name) throws IOException {
        try (InputStream in = getClass().getResourceAsStream("/python-saved/" + name)) {
            return TorchCheckpointFile.read(in);
        }
    }

    private static float[] floats(Map<String, Object> d, String key) {
        return floats((TensorData) d.get(key));
    }

    private static float[] floats(TensorData t) {
        return Tensors.toFloats(Tensors.fromData(t));
    }

    @SuppressWarnings("unchecked")
    private static List<Object> list(Object o) {
        return (List<Object>) o;
    }

    @SuppressWarnings("unchecked")
    private static Map<Object, Object> map(Object o) {
        return (Map<Object, Object>) o;
    }
}
