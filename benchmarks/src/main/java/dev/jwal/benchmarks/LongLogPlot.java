package dev.jwal.benchmarks;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;

/** {@link LongLogCost}'s open time and heap retained against the log's length, as a PNG: two panels, log-scaled N. */
final class LongLogPlot {

    private static final int WIDTH = 900;
    private static final int HEIGHT = 420;
    private static final int PANEL = 380;
    private static final int LEFT = 70;
    private static final int TOP = 60;
    private static final int PLOT_H = 280;

    private LongLogPlot() {
    }

    /** {@code points}: rows of (records, open seconds, heap MB). */
    static void write(List<double[]> points, int recordBytes, Path file) throws IOException {
        BufferedImage image = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, WIDTH, HEIGHT);
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 15));
        g.drawString("WalLog of N records of " + recordBytes + " B: open after a clean close, and heap retained", LEFT - 40,
                28);
        panel(g, points, 1, "open (s)", LEFT);
        panel(g, points, 2, "heap retained (MB)", LEFT + PANEL + 70);
        g.dispose();
        ImageIO.write(image, "png", file.toFile());
    }

    private static void panel(Graphics2D g, List<double[]> points, int column, String label, int left) {
        double maxN = 1;
        double minN = Double.MAX_VALUE;
        double maxY = 0;
        for (double[] p : points) {
            maxN = Math.max(maxN, p[0]);
            minN = Math.min(minN, p[0]);
            maxY = Math.max(maxY, p[column]);
        }
        double top = maxY <= 0 ? 1 : niceCeiling(maxY * 1.1);
        double lo = Math.log10(minN) - 0.3;
        double hi = Math.log10(maxN) + 0.3;
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        g.drawRect(left, TOP, PANEL, PLOT_H);
        g.drawString(label, left, TOP - 8);
        for (int i = 0; i <= 4; i++) {
            int y = TOP + PLOT_H - i * PLOT_H / 4;
            g.drawString(String.format(Locale.ROOT, "%.3g", top * i / 4), left - 45, y + 4);
        }
        for (double[] p : points) {
            int x = left + (int) ((Math.log10(p[0]) - lo) / (hi - lo) * PANEL);
            g.drawString(String.format(Locale.ROOT, "%,.0f", p[0]), x - 25, TOP + PLOT_H + 18);
        }
        g.drawString("records (log scale)", left + PANEL / 2 - 50, TOP + PLOT_H + 38);
        g.setColor(new Color(0x1f77b4));
        g.setStroke(new BasicStroke(2.5f));
        int lastX = -1;
        int lastY = -1;
        for (double[] p : points) {
            int x = left + (int) ((Math.log10(p[0]) - lo) / (hi - lo) * PANEL);
            int y = TOP + PLOT_H - (int) (p[column] / top * PLOT_H);
            g.fillOval(x - 4, y - 4, 8, 8);
            if (lastX >= 0) {
                g.drawLine(lastX, lastY, x, y);
            }
            lastX = x;
            lastY = y;
        }
        g.setColor(Color.BLACK);
        g.setStroke(new BasicStroke(1));
    }

    private static double niceCeiling(double value) {
        double magnitude = Math.pow(10, Math.floor(Math.log10(value)));
        for (double step : new double[] {1, 2, 5, 10}) {
            if (step * magnitude >= value) {
                return step * magnitude;
            }
        }
        return 10 * magnitude;
    }
}
