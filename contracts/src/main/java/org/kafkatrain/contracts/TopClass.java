package org.kafkatrain.contracts;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * One of an image's most probable classes: {@code {"class": "Sneaker", "index": 7, "probability": 0.93}}.
 *
 * @param name        the class name, written as {@code class}
 * @param index       the class index (position in the dataset's class list)
 * @param probability softmax probability
 */
public record TopClass(@JsonProperty("class") String name, int index, double probability) {
    /**
     * The {@code k} most probable classes of one image, most probable first (ties: lower index first, as
     * {@code torch.topk} on CPU returns them).
     *
     * @param probabilities row-major {@code [images x classes]}
     * @param image         the image's row
     */
    public static List<TopClass> of(float[] probabilities, int image, List<String> classes, int k) {
        int n = classes.size();
        List<Integer> order = new ArrayList<>(n);
        for (int c = 0; c < n; c++) {
            order.add(c);
        }
        int row = image * n;
        order.sort(Comparator.<Integer>comparingDouble(c -> -probabilities[row + c])
                .thenComparingInt(c -> c));
        return order.subList(0, Math.min(k, n)).stream()
                .map(c -> new TopClass(classes.get(c), c, probabilities[row + c]))
                .toList();
    }
}
