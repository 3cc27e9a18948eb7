package org.kafkatrain.contracts;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * The transform against what torchvision's {@code Resize(size)} + {@code CenterCrop(size)} and PIL's
 * {@code convert} give for the same pixels (written by {@code tools/make_resize_reference.py} with Pillow 9.4):
 * upscaling gray 28 px to 224 px RGB as the 224 px runs do, RGB up and down (the shrink antialiases), a
 * portrait image to gray, a tiny one; equal byte for byte.
 */
class ImageTransformTest {
    record Case(String name, int height, int width, int channels, int size, int outChannels) {
        @Override
        public String toString() {
            return name;
        }
    }

    static List<Case> cases() throws IOException {
        List<Case> out = new ArrayList<>();
        for (JsonNode c : new ObjectMapper().readTree(resource("cases.json"))) {
            out.add(new Case(
                    c.get("name").asText(),
                    c.get("height").asInt(),
                    c.get("width").asInt(),
                    c.get("channels").asInt(),
                    c.get("size").asInt(),
                    c.get("outChannels").asInt()));
        }
        return out;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void equalsTorchvisionOnPilByteForByte(Case c) throws IOException {
        RawImage in = new RawImage(resource(c.name() + ".in"), c.height(), c.width(), c.channels());
        RawImage out = new ImageTransform(c.size(), c.outChannels()).apply(in);
        assertThat(out.height()).isEqualTo(c.size());
        assertThat(out.width()).isEqualTo(c.size());
        assertThat(out.channels()).isEqualTo(c.outChannels());
        assertThat(out.pixels()).isEqualTo(resource(c.name() + ".out"));
    }

    private static byte[] resource(String name) throws IOException {
        try (InputStream in = ImageTransformTest.class.getResourceAsStream("/resize/" + name)) {
            return in.readAllBytes();
        }
    }
}
