package dev.jwal.benchmarks;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalDouble;
import javax.imageio.ImageIO;

/** Saves/s against writer threads per sync policy (and etcd), as a PNG, drawn with Java2D. */
final class ThroughputPlot {

    private static final int WIDTH = 900;
    private static final int HEIGHT = 560;
    private static final int LEFT = 90;
    private static final int RIGHT = 190;
    private static final int TOP = 50;
    private static final int BOTTOM = 60;

    private ThroughputPlot() {
    }

    static void write(Figures f, Path file) throws IOException {
        Map<String, double[]> series = new LinkedHashMap<>();
        for (String policy : new String[] {"ALWAYS", "GROUP", "INTERVAL", "NONE"}) {
            series.put("jwal " + policy, values(t -> f.score("ConcurrentSaveBenchmark.saveAndWait", t, "policy=" + policy)));
        }
        if (!f.etcd.isEmpty()) {
            series.put("etcd 3.4", values(t -> f.etcd.find("concurrent", 100, 1, t)
                    .map(r -> OptionalDouble.of(r.savesPerSec())).orElse(OptionalDouble.empty())));
        }
        double max = 1;
        for (double[] ys : series.values()) {
            for (double y : ys) {
                max = Math.max(max, y);
            }
        }
        double top = Math.pow(10, Math.ceil(Math.log10(max)));
        double bottom = Math.max(1, top / 1e4);

        BufferedImage image = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, WIDTH, HEIGHT);
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
        g.drawString("Saves/s against writer threads (1 × 100 B entry per save, each writer waits for durability)",
                LEFT - 40, 28);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        int plotW = WIDTH - LEFT - RIGHT;
        int plotH = HEIGHT - TOP - BOTTOM;
        g.drawRect(LEFT, TOP, plotW, plotH);
        for (double tick = bottom; tick <= top * 1.0001; tick *= 10) {
            int y = y(tick, bottom, top, plotH);
            g.setColor(new Color(225, 225, 225));
            g.drawLine(LEFT + 1, y, LEFT + plotW - 1, y);
            g.setColor(Color.BLACK);
            g.drawString(String.format(java.util.Locale.ROOT, "%,.0f", tick), 10, y + 4);
        }
        int[] threads = Suite.THREADS;
        for (int i = 0; i < threads.length; i++) {
            int x = x(i, threads.length, plotW);
            g.drawString(threads[i] + "", x - 6, TOP + plotH + 20);
        }
        g.drawString("writer threads", LEFT + plotW / 2 - 40, HEIGHT - 15);
        g.drawString("saves/s (log scale)", 10, TOP - 8);

        Color[] colors = {new Color(31, 119, 180), new Color(214, 39, 40), new Color(44, 160, 44),
                new Color(148, 103, 189), new Color(100, 100, 100)};
        int legend = TOP + 10;
        int c = 0;
        for (Map.Entry<String, double[]> s : series.entrySet()) {
            Color color = colors[c++ % colors.length];
            g.setColor(color);
            g.setStroke(s.getKey().startsWith("etcd") ? new BasicStroke(2.5f, BasicStroke.CAP_ROUND,
                    BasicStroke.JOIN_ROUND, 1, new float[] {8, 6}, 0) : new BasicStroke(2.5f));
            int px = -1;
            int py = -1;
            for (int i = 0; i < threads.length; i++) {
                double v = s.getValue()[i];
                if (v <= 0) {
                    continue;
                }
                int x = x(i, threads.length, plotW);
                int y = y(v, bottom, top, plotH);
                g.fillOval(x - 4, y - 4, 8, 8);
                if (px >= 0) {
                    g.drawLine(px, py, x, y);
                }
                px = x;
                py = y;
            }
            g.drawLine(WIDTH - RIGHT + 20, legend, WIDTH - RIGHT + 50, legend);
            g.setColor(Color.BLACK);
            g.drawString(s.getKey(), WIDTH - RIGHT + 58, legend + 4);
            legend += 22;
        }
        g.dispose();
        ImageIO.write(image, "png", file.toFile());
    }

    private static double[] values(java.util.function.IntFunction<OptionalDouble> score) {
        double[] ys = new double[Suite.THREADS.length];
        for (int i = 0; i < ys.length; i++) {
            ys[i] = score.apply(Suite.THREADS[i]).orElse(0);
        }
        return ys;
    }

    private static int x(int i, int n, int plotW) {
        return LEFT + 40 + i * (plotW - 80) / (n - 1);
    }

    private static int y(double value, double bottom, double top, int plotH) {
        double f = (Math.log10(value) - Math.log10(bottom)) / (Math.log10(top) - Math.log10(bottom));
        return TOP + plotH - (int) Math.round(f * plotH);
    }
}
