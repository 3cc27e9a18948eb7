package org.kafkatrain.launcher;

import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.CategoryAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.category.BarRenderer;
import org.jfree.chart.renderer.category.StandardBarPainter;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.ui.RectangleAnchor;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.category.DefaultCategoryDataset;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
import org.kafkatrain.contracts.bench.BenchFigure;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/** The report's charts, drawn by JFreeChart without a display (PNG). */
final class ReportCharts {
    private static final Color BAR = new Color(0x3b6ea8);

    private ReportCharts() {}

    /** The side-by-side ratios as horizontal bars, with the line at 1.0 where both sides are equal. */
    static void ratios(List<BenchFigure> ratios, Path png) throws IOException {
        DefaultCategoryDataset data = new DefaultCategoryDataset();
        for (BenchFigure f : ratios) {
            data.addValue(f.value(), "median", f.bench() + ": " + f.name());
        }
        JFreeChart chart = ChartFactory.createBarChart(
                "Measured side by side (median ratio; 1.0 = equal)",
                null,
                "ratio",
                data,
                PlotOrientation.HORIZONTAL,
                false,
                false,
                false);
        CategoryPlot plot = chart.getCategoryPlot();
        plot.setBackgroundPaint(Color.WHITE);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        plot.addRangeMarker(new ValueMarker(1.0, Color.DARK_GRAY, new BasicStroke(1.5f)));
        CategoryAxis categories = plot.getDomainAxis();
        categories.setMaximumCategoryLabelWidthRatio(0.55f);
        BarRenderer bars = (BarRenderer) plot.getRenderer();
        bars.setBarPainter(new StandardBarPainter());
        bars.setShadowVisible(false);
        bars.setSeriesPaint(0, BAR);
        bars.setMaximumBarWidth(0.6);
        ChartUtils.saveChartAsPNG(png.toFile(), chart, 1100, 90 + 30 * ratios.size());
    }

    /** A figure's (x, y) series as a line with its points, such as the trainer's RSS over steps. */
    static void series(BenchFigure figure, String xLabel, Path png) throws IOException {
        XYSeries series = new XYSeries(figure.name());
        for (List<Double> p : figure.points()) {
            series.add(p.get(0), p.get(1));
        }
        JFreeChart chart = ChartFactory.createXYLineChart(
                figure.bench() + ": " + figure.name(),
                xLabel,
                figure.unit(),
                new XYSeriesCollection(series),
                PlotOrientation.VERTICAL,
                false,
                false,
                false);
        style(chart.getXYPlot(), 1);
        ChartUtils.saveChartAsPNG(png.toFile(), chart, 900, 420);
    }

    /**
     * Train and val top-1 per epoch from the epoch summaries on training.metrics; a run that started from another's
     * weights is drawn as later stages on one epoch axis, each stage its own lines.
     */
    static void quality(QualityLineage lineage, Path png) throws IOException {
        XYSeriesCollection data = new XYSeriesCollection();
        List<QualityRun> stages = lineage.stages();
        for (int i = 0; i < stages.size(); i++) {
            int offset = lineage.epochOffset(i);
            String prefix = stages.size() == 1 ? "" : "stage " + (i + 1) + " ";
            for (String split : List.of("train", "val")) {
                XYSeries series = new XYSeries(prefix + split + " top-1");
                stages.get(i).epochs().stream()
                        .filter(m -> m.split().equals(split))
                        .forEach(m -> series.add(offset + m.epoch() + 1, m.top1()));
                data.addSeries(series);
            }
        }
        JFreeChart chart = ChartFactory.createXYLineChart(
                stages.get(stages.size() - 1).runId() + ": top-1 per epoch",
                stages.size() == 1 ? "epoch" : "epoch, over the stages",
                "top-1 %",
                data,
                PlotOrientation.VERTICAL,
                true,
                false,
                false);
        XYPlot plot = chart.getXYPlot();
        style(plot, data.getSeriesCount());
        NumberAxis top1 = (NumberAxis) plot.getRangeAxis();
        top1.setAutoRangeIncludesZero(false); // the last points differ by tenths: do not spend the height on 0-80 %
        top1.setAutoRangeMinimumSize(5);
        ValueMarker target = new ValueMarker(lineage.targetTop1(), Color.DARK_GRAY, new BasicStroke(1f));
        target.setLabel("target " + lineage.target() + " %");
        target.setLabelAnchor(RectangleAnchor.BOTTOM_LEFT);
        target.setLabelTextAnchor(TextAnchor.TOP_LEFT);
        plot.addRangeMarker(target);
        for (int i = 1; i < stages.size(); i++) {
            // between the parent's epoch the stage started from and the stage's first epoch
            ValueMarker start = new ValueMarker(lineage.epochOffset(i) + 0.5, Color.GRAY, new BasicStroke(1f));
            start.setLabel("stage " + (i + 1));
            start.setLabelAnchor(RectangleAnchor.TOP_RIGHT);
            start.setLabelTextAnchor(TextAnchor.TOP_LEFT);
            plot.addDomainMarker(start);
        }
        ChartUtils.saveChartAsPNG(png.toFile(), chart, 900, 420);
    }

    private static void style(XYPlot plot, int seriesCount) {
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        XYLineAndShapeRenderer lines = new XYLineAndShapeRenderer(true, true);
        // distinct colors for two stages' train and val lines; further series repeat them
        Color[] colors = {BAR, new Color(0xd9822b), new Color(0x2e8b57), new Color(0xa8326e)};
        for (int i = 0; i < seriesCount; i++) {
            lines.setSeriesPaint(i, colors[i % colors.length]);
            lines.setSeriesStroke(i, new BasicStroke(2f));
        }
        plot.setRenderer(lines);
    }
}
