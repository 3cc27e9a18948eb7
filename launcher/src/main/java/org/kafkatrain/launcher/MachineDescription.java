package org.kafkatrain.launcher;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.Set;

/**
 * What a report's figures were measured on: they mean little without the CPU (its vector units decide oneDNN's and
 * ATen's kernels), the cores, the memory and the versions of the libraries doing the work.
 */
record MachineDescription(
        String cpu, int cores, String vectorUnits, double memoryGiB, String os, String java, String libraries) {
    static MachineDescription ofThisMachine() {
        List<String> cpuinfo = lines(Path.of("/proc/cpuinfo"));
        String model = field(cpuinfo, "model name").orElse(System.getProperty("os.arch"));
        Set<String> flags = Set.of(field(cpuinfo, "flags").orElse("").split(" "));
        double memKb = field(lines(Path.of("/proc/meminfo")), "MemTotal")
                .map(v -> Double.parseDouble(v.replaceAll("[^0-9]", "")))
                .orElse(0.0);
        return new MachineDescription(
                model,
                Runtime.getRuntime().availableProcessors(),
                vectorUnits(flags),
                memKb / (1 << 20),
                System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                        + System.getProperty("os.arch"),
                System.getProperty("java.vm.vendor") + " " + System.getProperty("java.runtime.version"),
                libraryVersions());
    }

    /** The widest vector extension, as oneDNN and ATen would pick their kernels; bf16 where the CPU has it. */
    static String vectorUnits(Set<String> flags) {
        if (flags.contains("avx512f")) {
            return flags.contains("avx512_bf16") ? "AVX-512 with bf16" : "AVX-512";
        }
        if (flags.contains("avx2")) {
            return "AVX2";
        }
        return flags.isEmpty() || flags.equals(Set.of("")) ? "unknown" : "below AVX2";
    }

    String markdown() {
        return String.join(
                "\n",
                "| | |",
                "|---|---|",
                "| CPU | " + cpu + ", " + cores + " cores visible, " + vectorUnits + " |",
                String.format(Locale.ROOT, "| memory | %.1f GiB |", memoryGiB),
                "| OS | " + os + " |",
                "| Java | " + java + " |",
                "| libraries | " + libraries + " |",
                "");
    }

    private static String libraryVersions() {
        Properties versions = new Properties();
        try (InputStream in = MachineDescription.class.getResourceAsStream("versions.properties")) {
            versions.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return "libtorch " + versions.getProperty("libtorch") + " (Bytedeco presets), Kafka "
                + versions.getProperty("kafka") + ", Quarkus " + versions.getProperty("quarkus");
    }

    private static java.util.Optional<String> field(List<String> lines, String key) {
        return lines.stream()
                .filter(l -> l.startsWith(key) && l.indexOf(':') > 0)
                .map(l -> l.substring(l.indexOf(':') + 1).strip())
                .findFirst();
    }

    private static List<String> lines(Path file) {
        try {
            return Files.isReadable(file) ? Files.readAllLines(file) : List.of();
        } catch (IOException e) {
            return List.of();
        }
    }
}
