package org.kafkatrain.launcher;

import org.kafkatrain.contracts.bench.BenchFigure;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.DoubleStream;

/** The benchmarks' figures as the report's markdown: a table per benchmark, in the order a reader wants them. */
final class BenchReport {
    /** Each benchmark's section, in report order, with a line on what it measures and what measures it. */
    static final Map<String, String> SECTIONS = sections();

    private BenchReport() {}

    private static Map<String, String> sections() {
        Map<String, String> s = new LinkedHashMap<>();
        s.put(
                "ingest",
                "Fashion-MNIST through the ingest command against Kafka's ProducerPerformance with as many records"
                        + " of the same size, same broker and producer settings, in alternating rounds; then lz4 and zstd."
                        + " `./kafka-train bench ingest`.");
        s.put(
                "trainer",
                "ResNet-50 training fed from Kafka through the service's data path against the same trainer fed"
                        + " from batches in memory, in alternating rounds; the process RSS after each round."
                        + " `./kafka-train bench trainer`.");
        s.put(
                "compute",
                "ResNet-50 training steps per compute setting on the same batches, interleaved rounds:"
                        + " the Java Adam loop (`+loop`) or the fused ATen Adam, fp32 or bf16 autocast, NCHW or channels_last"
                        + " (`+cl`)."
                        + " `./kafka-train bench compute`.");
        s.put(
                "pytorch",
                "CPU PyTorch eager on the compute benchmark's work by `tools/pytorch_compute_bench.py` (outside the"
                        + " build; only when `REPORT_PYTHON` names a Python with torch and torchvision), taking turns"
                        + " with the Java bench a round each; the compute section pairs the rounds.");
        s.put(
                "checkpoint",
                "What a ResNet-50 + Adam checkpoint (283 MB, `torch.save` format) costs the training"
                        + " thread, written synchronously against a state copy with the upload to S3 behind it."
                        + " `./kafka-train bench checkpoint`.");
        s.put(
                "feed",
                "The trainer's data path without the model at 224x224x3: records from Kafka into batches of 64,"
                        + " for raw, zstd-compressed raw and JPEG records."
                        + " `./kafka-train bench feed`.");
        s.put(
                "scale",
                "One replica against two data-parallel replicas (a process and a libtorch thread each, Gloo on"
                        + " loopback)."
                        + " `./kafka-train bench scale`.");
        s.put(
                "metrics",
                "Step events through the metrics topology (exactly_once_v2): a burst's sustained rate and the"
                        + " latency from a step's timestamp to its metric at a steady rate."
                        + " `./kafka-train bench metrics`.");
        s.put(
                "inference",
                "inference-service: REST requests at concurrency 1 and 8 and images/s from `images.infer` to"
                        + " predictions, per batching setting."
                        + " `./kafka-train bench inference`.");
        return s;
    }

    /**
     * Figures with the same benchmark, name and unit, from a benchmark run more than once, become one: the median of all
     * their runs, so a single-shot benchmark repeated by the report gets a median and a spread too.
     */
    static List<BenchFigure> merged(List<BenchFigure> figures) {
        Map<String, List<BenchFigure>> byName = new LinkedHashMap<>();
        for (BenchFigure f : figures) {
            byName.computeIfAbsent(f.bench() + "\u0000" + f.name() + "\u0000" + f.unit(), k -> new ArrayList<>())
                    .add(f);
        }
        List<BenchFigure> out = new ArrayList<>();
        for (List<BenchFigure> same : byName.values()) {
            BenchFigure first = same.get(0);
            if (same.size() == 1) {
                out.add(first);
                continue;
            }
            double[] runs = same.stream()
                    .flatMapToDouble(f -> f.runs().isEmpty()
                            ? DoubleStream.of(f.value())
                            : f.runs().stream().mapToDouble(Double::doubleValue))
                    .toArray();
            out.add(new BenchFigure(
                    first.bench(),
                    first.name(),
                    BenchFigure.median(runs),
                    first.unit(),
                    DoubleStream.of(runs).boxed().toList(),
                    first.target(),
                    same.get(same.size() - 1).points()));
        }
        return out;
    }

    /**
     * Java against PyTorch eager where both measured a setting ({@code "28 px, batch 32, bf16+cl"}): per variant, and
     * best against best per size and batch, which is the target. When both sides have as many runs and
     * {@code ./kafka-train report} alternated them (a Java round, then a PyTorch round, ...), run i of one is paired
     * with run i of the other and the ratio is the median of the rounds' ratios, so both saw the same machine;
     * otherwise it is the ratio of the medians.
     */
    static List<BenchFigure> againstPyTorch(List<BenchFigure> figures) {
        Map<String, BenchFigure> java = new LinkedHashMap<>();
        figures.stream()
                .filter(f -> f.bench().equals("compute") && f.unit().equals("img/s"))
                .forEach(f -> java.put(f.name(), f));
        Map<String, List<BenchFigure[]>> bySetting = new LinkedHashMap<>(); // setting -> {Java, PyTorch} per variant
        for (BenchFigure py : figures) {
            BenchFigure j = java.get(py.name());
            if (py.bench().equals("pytorch") && py.unit().equals("img/s") && j != null) {
                bySetting
                        .computeIfAbsent(py.name().substring(0, py.name().lastIndexOf(", ")), k -> new ArrayList<>())
                        .add(new BenchFigure[] {j, py});
            }
        }
        List<BenchFigure> out = new ArrayList<>();
        bySetting.forEach((setting, pairs) -> pairs.forEach(
                p -> out.add(ratio(p[1].name() + ": Java / PyTorch eager", rounds(p[0]), rounds(p[1]), null))));
        bySetting.forEach((setting, pairs) -> out.add(ratio(
                setting + ", best setting: Java / PyTorch eager",
                best(pairs.stream().map(p -> rounds(p[0])).toList()),
                best(pairs.stream().map(p -> rounds(p[1])).toList()),
                ">= 1.0")));
        return out;
    }

    private static double[] rounds(BenchFigure f) {
        return f.runs().isEmpty()
                ? new double[] {f.value()}
                : f.runs().stream().mapToDouble(Double::doubleValue).toArray();
    }

    /** Per round, the fastest variant's rate; one value (the best median) when the variants' rounds differ. */
    private static double[] best(List<double[]> variants) {
        int n = variants.get(0).length;
        if (variants.stream().anyMatch(v -> v.length != n)) {
            return new double[] {
                variants.stream().mapToDouble(BenchFigure::median).max().orElseThrow()
            };
        }
        double[] best = new double[n];
        for (int i = 0; i < n; i++) {
            int round = i;
            best[i] = variants.stream().mapToDouble(v -> v[round]).max().orElseThrow();
        }
        return best;
    }

    private static BenchFigure ratio(String name, double[] java, double[] pytorch, String target) {
        BenchFigure figure;
        if (java.length == pytorch.length && java.length > 1) {
            double[] ratios = new double[java.length];
            for (int i = 0; i < ratios.length; i++) {
                ratios[i] = java[i] / pytorch[i];
            }
            figure = BenchFigure.median("compute", name, BenchFigure.RATIO, ratios);
        } else {
            figure = BenchFigure.of(
                    "compute", name, BenchFigure.median(java) / BenchFigure.median(pytorch), BenchFigure.RATIO);
        }
        return target == null ? figure : figure.withTarget(target);
    }

    /** The benchmarks in report order: known sections first, any other after them by name. */
    static List<String> benches(List<BenchFigure> figures) {
        List<String> order = new ArrayList<>(SECTIONS.keySet());
        return figures.stream()
                .map(BenchFigure::bench)
                .distinct()
                .sorted(Comparator.comparingInt((String b) -> order.contains(b) ? order.indexOf(b) : order.size())
                        .thenComparing(Comparator.naturalOrder()))
                .toList();
    }

    /** A markdown table of the figures: value, unit, the runs behind a median and their spread, the target. */
    static String table(List<BenchFigure> figures) {
        StringBuilder md = new StringBuilder("| figure | value | unit | runs | min-max | target |\n");
        md.append("|---|---:|---|---:|---|---|\n");
        for (BenchFigure f : figures) {
            md.append("| ")
                    .append(f.name())
                    .append(" | ")
                    .append(number(f.value()))
                    .append(" | ")
                    .append(f.unit())
                    .append(" | ")
                    .append(f.runs().isEmpty() ? "1" : Integer.toString(f.runs().size()))
                    .append(" | ")
                    .append(f.runs().size() > 1 ? number(f.min()) + "-" + number(f.max()) : "")
                    .append(" | ")
                    .append(
                            f.target() == null
                                    ? ""
                                    : f.target() + (f.meetsTarget().orElseThrow() ? " met" : " **missed**"))
                    .append(" |\n");
        }
        return md.toString();
    }

    /** Three significant digits or so, without exponent: 0.912, 12.3, 4689. */
    static String number(double v) {
        double a = Math.abs(v);
        String pattern = a >= 100 ? "%.0f" : a >= 10 ? "%.1f" : a >= 1 ? "%.2f" : "%.3f";
        return String.format(Locale.ROOT, pattern, v);
    }
}
