package org.cinelab.models.text;

import javax.imageio.ImageIO;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/** A confusion matrix as a PNG heatmap: rows true classes, columns predictions, cells shaded by row share, counts written in. */
public final class ConfusionHeatmap {
    static {
        System.setProperty("java.awt.headless", "true");
    }

    private ConfusionHeatmap() {}

    public static void write(long[][] confusion, List<String> names, String title, Path png) throws IOException {
        int k = confusion.length;
        int cell = Math.max(24, Math.min(48, 900 / Math.max(1, k)));
        int margin = 90;
        int size = margin + k * cell + 20;
        BufferedImage img = new BufferedImage(size, size + 30, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, img.getWidth(), img.getHeight());
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
        g.drawString(title, 10, 20);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        g.drawString("predicted →", margin, 45);
        g.drawString("true ↓", 10, 45);
        int top = margin;
        for (int r = 0; r < k; r++) {
            long rowSum = 0;
            for (long v : confusion[r]) rowSum += v;
            g.setColor(Color.BLACK);
            g.drawString(shorten(names.get(r)), 5, top + r * cell + cell / 2 + 4);
            for (int c = 0; c < k; c++) {
                double share = rowSum == 0 ? 0 : (double) confusion[r][c] / rowSum;
                int shade = (int) Math.round(255 * (1 - share));
                g.setColor(new Color(shade, shade, 255));
                g.fillRect(margin + c * cell, top + r * cell, cell, cell);
                g.setColor(share > 0.5 ? Color.WHITE : Color.BLACK);
                if (confusion[r][c] > 0) g.drawString(Long.toString(confusion[r][c]), margin + c * cell + 3, top + r * cell + cell / 2 + 4);
            }
        }
        g.setColor(Color.BLACK);
        for (int c = 0; c < k; c++) g.drawString(shorten(names.get(c)), margin + c * cell + 3, top - 8);
        g.dispose();
        ImageIO.write(img, "png", png.toFile());
    }

    private static String shorten(String s) { return s.length() > 12 ? s.substring(0, 11) + "…" : s; }
}
