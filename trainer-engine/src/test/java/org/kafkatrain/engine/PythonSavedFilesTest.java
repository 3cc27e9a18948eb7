package org.kafkatrain.engine;

import static org.assertj.core.api.Assertions.assertThat;

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

    @SuppressWarnings("unchecked")
    private static List<Object> list(Object o) {
        return (List<Object>) o;
    }

    @SuppressWarnings("unchecked")
    private static Map<Object, Object> map(Object o) {
        return (Map<Object, Object>) o;
    }
}
