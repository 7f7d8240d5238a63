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
import java.util.Map;
import javax.imageio.ImageIO;

/**
 * {@link OpenLoopLatency}'s plot: each contestant's p99 latency against the rate it achieved, both
 * on log scales, one point per load and round.
 */
final class LatencyPlot {

    private static final int WIDTH = 960;
    private static final int HEIGHT = 600;
    private static final int LEFT = 80;
    private static final int RIGHT = 260;
    private static final int TOP = 50;
    private static final int BOTTOM = 60;
    private static final Color[] COLORS = {new Color(100, 100, 100), new Color(214, 39, 40), new Color(31, 119, 180),
        new Color(255, 127, 14), new Color(23, 190, 207), new Color(44, 160, 44), new Color(148, 103, 189),
        new Color(140, 86, 75), new Color(227, 119, 194)};

    private LatencyPlot() {
    }

    static void write(Map<OpenLoopLatency.Contestant, Map<Double, List<OpenLoopLatency.Run>>> runs, Path file,
            boolean hogs) throws IOException {
        double xMin = Double.MAX_VALUE;
        double xMax = 1;
        double yMin = Double.MAX_VALUE;
        double yMax = 0.001;
        for (Map<Double, List<OpenLoopLatency.Run>> byLoad : runs.values()) {
            for (List<OpenLoopLatency.Run> points : byLoad.values()) {
                for (OpenLoopLatency.Run r : points) {
                    xMin = Math.min(xMin, r.achieved());
                    xMax = Math.max(xMax, r.achieved());
                    double p99 = r.latencies().getValueAtPercentile(99) / 1e6;
                    yMin = Math.min(yMin, p99);
                    yMax = Math.max(yMax, p99);
                }
            }
        }
        double left = Math.pow(10, Math.floor(Math.log10(Math.max(1, xMin))));
        double right = Math.pow(10, Math.ceil(Math.log10(xMax)));
        double bottom = Math.pow(10, Math.floor(Math.log10(Math.max(0.001, yMin))));
        double top = Math.pow(10, Math.ceil(Math.log10(yMax)));

        BufferedImage image = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, WIDTH, HEIGHT);
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
        g.drawString("p99 latency against achieved rate, open loop (" + (hogs ? "CPU hogs beside" : "idle machine")
                + ")", LEFT - 40, 28);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        int plotW = WIDTH - LEFT - RIGHT;
        int plotH = HEIGHT - TOP - BOTTOM;
        g.drawRect(LEFT, TOP, plotW, plotH);
        for (double tick = bottom; tick <= top * 1.0001; tick *= 10) {
            int y = TOP + plotH - scale(tick, bottom, top, plotH);
            g.setColor(new Color(225, 225, 225));
            g.drawLine(LEFT + 1, y, LEFT + plotW - 1, y);
            g.setColor(Color.BLACK);
            g.drawString(String.format(Locale.ROOT, "%s ms", tick < 1 ? String.valueOf(tick) : String.format(
                    Locale.ROOT, "%,.0f", tick)), 10, y + 4);
        }
        for (double tick = left; tick <= right * 1.0001; tick *= 10) {
            int x = LEFT + scale(tick, left, right, plotW);
            g.setColor(new Color(225, 225, 225));
            g.drawLine(x, TOP + 1, x, TOP + plotH - 1);
            g.setColor(Color.BLACK);
            g.drawString(String.format(Locale.ROOT, "%,.0f", tick), x - 12, TOP + plotH + 20);
        }
        g.drawString("operations/s achieved (log scale)", LEFT + plotW / 2 - 90, HEIGHT - 15);
        int legend = TOP + 10;
        int c = 0;
        for (Map.Entry<OpenLoopLatency.Contestant, Map<Double, List<OpenLoopLatency.Run>>> series : runs.entrySet()) {
            Color color = COLORS[c++ % COLORS.length];
            g.setColor(color);
            g.setStroke(new BasicStroke(2f));
            int px = -1;
            int py = -1;
            for (List<OpenLoopLatency.Run> points : series.getValue().values()) {
                // one line through each load's median p99, a dot per round
                double[] p99s = points.stream().mapToDouble(r -> r.latencies().getValueAtPercentile(99) / 1e6)
                        .sorted().toArray();
                double rate = points.stream().mapToDouble(OpenLoopLatency.Run::achieved).sorted()
                        .toArray()[points.size() / 2];
                for (OpenLoopLatency.Run r : points) {
                    int x = LEFT + scale(r.achieved(), left, right, plotW);
                    int y = TOP + plotH - scale(r.latencies().getValueAtPercentile(99) / 1e6, bottom, top, plotH);
                    g.fillOval(x - 3, y - 3, 6, 6);
                }
                int x = LEFT + scale(rate, left, right, plotW);
                int y = TOP + plotH - scale(p99s[p99s.length / 2], bottom, top, plotH);
                if (px >= 0) {
                    g.drawLine(px, py, x, y);
                }
                px = x;
                py = y;
            }
            g.drawLine(WIDTH - RIGHT + 15, legend, WIDTH - RIGHT + 40, legend);
            g.setColor(Color.BLACK);
            g.drawString(series.getKey().label, WIDTH - RIGHT + 46, legend + 4);
            legend += 20;
        }
        g.dispose();
        ImageIO.write(image, "png", file.toFile());
    }

    private static int scale(double value, double low, double high, int pixels) {
        double f = (Math.log10(Math.max(value, low)) - Math.log10(low)) / (Math.log10(high) - Math.log10(low));
        return (int) Math.round(Math.min(1, f) * pixels);
    }
}
