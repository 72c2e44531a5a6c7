package org.cinelab.charts;

import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.SeriesRenderingOrder;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Paint;
import java.awt.geom.Ellipse2D;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** PNG line charts (JFreeChart, headless) for run artifacts such as learning curves. */
public final class Charts {
    static {
        System.setProperty("java.awt.headless", "true");
    }

    private Charts() {}

    /**
     * One line per series; each point is {x, y}. Non-finite y values are skipped. Legends are
     * drawn only for a handful of series, where they can be read.
     */
    public static void lines(String title, String xLabel, String yLabel, Map<String, double[][]> series, Path png)
            throws IOException {
        XYSeriesCollection data = new XYSeriesCollection();
        for (Map.Entry<String, double[][]> e : series.entrySet()) {
            XYSeries s = new XYSeries(e.getKey(), false, true);
            for (double[] p : e.getValue()) if (Double.isFinite(p[1])) s.add(p[0], p[1]);
            data.addSeries(s);
        }
        boolean legend = series.size() <= 12;
        JFreeChart chart = ChartFactory.createXYLineChart(title, xLabel, yLabel, data, PlotOrientation.VERTICAL,
                legend, false, false);
        XYPlot plot = chart.getXYPlot();
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        ((org.jfree.chart.axis.NumberAxis) plot.getRangeAxis()).setAutoRangeIncludesZero(false);
        ChartUtils.saveChartAsPNG(png.toFile(), chart, 900, 560);
    }

    /**
     * One series per entry, each point {x, y} drawn as a marker, joined in x order when {@code lines}
     * (e.g. a metric against a hyperparameter across trials); {@code logX} for rates searched on a log scale.
     * {@code highlighted} series (e.g. the trial a search reports) are drawn last, as larger outlined
     * markers without lines, so no other point hides them.
     */
    public static void points(String title, String xLabel, String yLabel, Map<String, double[][]> series,
                              Map<String, double[][]> highlighted, boolean logX, boolean lines, Path png)
            throws IOException {
        ChartUtils.saveChartAsPNG(png.toFile(), pointsChart(title, xLabel, yLabel, series, highlighted, logX, lines), 900, 560);
    }

    static JFreeChart pointsChart(String title, String xLabel, String yLabel, Map<String, double[][]> series,
                                  Map<String, double[][]> highlighted, boolean logX, boolean lines) {
        XYSeriesCollection data = new XYSeriesCollection();
        for (Map<String, double[][]> group : List.of(series, highlighted)) {
            for (Map.Entry<String, double[][]> e : group.entrySet()) {
                XYSeries s = new XYSeries(e.getKey(), true, true);
                for (double[] p : e.getValue()) if (Double.isFinite(p[0]) && Double.isFinite(p[1])) s.add(p[0], p[1]);
                data.addSeries(s);
            }
        }
        JFreeChart chart = ChartFactory.createXYLineChart(title, xLabel, yLabel, data, PlotOrientation.VERTICAL,
                data.getSeriesCount() <= 12, false, false);
        XYPlot plot = chart.getXYPlot();
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        // JFreeChart draws the last series first by default, which buried the highlighted markers.
        plot.setSeriesRenderingOrder(SeriesRenderingOrder.FORWARD);
        int firstHighlighted = series.size();
        XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(lines, true) {
            @Override
            public Paint getItemOutlinePaint(int row, int column) {
                return row >= firstHighlighted ? Color.BLACK : getItemPaint(row, column);
            }
        };
        renderer.setUseOutlinePaint(true);
        for (int i = firstHighlighted; i < data.getSeriesCount(); i++) {
            renderer.setSeriesLinesVisible(i, false);
            renderer.setSeriesShape(i, new Ellipse2D.Double(-7, -7, 14, 14));
            renderer.setSeriesOutlineStroke(i, new BasicStroke(2f));
        }
        plot.setRenderer(renderer);
        if (logX) {
            org.jfree.chart.axis.LogAxis axis = new org.jfree.chart.axis.LogAxis(xLabel);
            axis.setSmallestValue(1e-12);
            axis.setNumberFormatOverride(new java.text.DecimalFormat("0.######"));
            plot.setDomainAxis(axis);
        }
        ((org.jfree.chart.axis.NumberAxis) plot.getRangeAxis()).setAutoRangeIncludesZero(false);
        return chart;
    }
}
