package org.cinelab.charts;

import org.jfree.chart.ChartRenderingInfo;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.awt.Color;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ChartsTest {

    /** A highlighted point on top of the same point of a plain series must still show in the plot area. */
    @Test
    void highlightedPointIsDrawnOverTheSeriesItMarks() {
        Map<String, double[][]> trials = new LinkedHashMap<>();
        trials.put("seed 1", new double[][] {{1, 1}, {2, 3}, {3, 2}});
        trials.put("seed 2", new double[][] {{1, 1.05}, {2, 2.5}, {3, 1.5}});
        Map<String, double[][]> reported = Map.of("seed 1: the reported trial", new double[][] {{1, 1}});
        JFreeChart chart = Charts.pointsChart("t", "x", "y", trials, reported, false, true);
        Color highlight = (Color) ((XYLineAndShapeRenderer) chart.getXYPlot().getRenderer()).lookupSeriesPaint(2);
        ChartRenderingInfo info = new ChartRenderingInfo();
        BufferedImage image = chart.createBufferedImage(900, 560, info);
        Rectangle2D area = info.getPlotInfo().getDataArea();

        int highlightPixels = 0, outlinePixels = 0;
        for (int y = (int) area.getMinY(); y < area.getMaxY(); y++) {
            for (int x = (int) area.getMinX(); x < area.getMaxX(); x++) {
                int rgb = image.getRGB(x, y) & 0xFFFFFF;
                if (rgb == (highlight.getRGB() & 0xFFFFFF)) highlightPixels++;
                if (rgb == 0) outlinePixels++;
            }
        }
        assertTrue(highlightPixels > 20, "the reported trial's marker is visible in the plot area: " + highlightPixels + " pixels");
        assertTrue(outlinePixels > 20, "and outlined in black: " + outlinePixels + " pixels");
    }

    @Test
    void writesAPng(@TempDir Path dir) throws Exception {
        Path png = dir.resolve("points.png");
        Charts.points("t", "lr", "rmse", Map.of("a", new double[][] {{0.01, 1}, {0.1, Double.NaN}}), Map.of(), true, false, png);
        byte[] head = Files.readAllBytes(png);
        assertEquals((byte) 0x89, head[0]);
        assertEquals('P', head[1]);
    }
}
