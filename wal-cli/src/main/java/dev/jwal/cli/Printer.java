package dev.jwal.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a command prints, in the chosen format: aligned tables and "name: value" lines for a
 * terminal, or one JSON document for scripts, built from the same fields and rows. In JSON every
 * number is a JSON number, but for a uint64 above 2^53 (see {@link #u64}); nested values are
 * objects and arrays.
 */
final class Printer {

    /** The largest integer every JSON reader holds exactly (a double's 53-bit mantissa). */
    private static final long MAX_EXACT_JSON_INTEGER = 1L << 53;

    private final Format format;
    private final PrintWriter out;
    private final Map<String, Object> document = new LinkedHashMap<>();

    Printer(Format format, PrintWriter out) {
        this.format = format;
        this.out = out;
    }

    /**
     * A uint64 (index, term, commit) as a JSON number when a double holds it exactly, else as its
     * decimal string: scripts read numbers, and no value is rounded on the way.
     */
    static Object u64(long value) {
        return value >= 0 && value <= MAX_EXACT_JSON_INTEGER ? (Object) value : Long.toUnsignedString(value);
    }

    /** One named value. */
    void field(String name, Object value) {
        if (format == Format.JSON) {
            document.put(name, value);
        } else {
            out.println(name + ": " + cell(value));
        }
    }

    /** A table of rows sharing their keys; {@code title} heads it in a terminal. */
    void table(String name, String title, List<Map<String, Object>> rows) {
        if (format == Format.JSON) {
            document.put(name, rows);
            return;
        }
        if (title != null) {
            out.println(title);
        }
        if (rows.isEmpty()) {
            out.println("  (none)");
            return;
        }
        List<String> columns = new ArrayList<>(rows.get(0).keySet());
        int[] widths = new int[columns.size()];
        for (int c = 0; c < columns.size(); c++) {
            widths[c] = columns.get(c).length();
            for (Map<String, Object> row : rows) {
                widths[c] = Math.max(widths[c], cell(row.get(columns.get(c))).length());
            }
        }
        StringBuilder line = new StringBuilder();
        for (int c = 0; c < columns.size(); c++) {
            pad(line, columns.get(c).toUpperCase(java.util.Locale.ROOT), widths[c], c + 1 == columns.size());
        }
        out.println(line.toString().stripTrailing());
        for (Map<String, Object> row : rows) {
            line.setLength(0);
            for (int c = 0; c < columns.size(); c++) {
                pad(line, cell(row.get(columns.get(c))), widths[c], c + 1 == columns.size());
            }
            out.println(line.toString().stripTrailing());
        }
    }

    /** Prints the JSON document; a terminal's output is already out. */
    void finish() {
        if (format == Format.JSON) {
            out.println(Json.write(document));
        }
        out.flush();
    }

    private static void pad(StringBuilder line, String text, int width, boolean last) {
        line.append(text);
        if (!last) {
            line.append(" ".repeat(width - text.length() + 2));
        }
    }

    /** A value for a terminal: maps as {@code key value} pairs, lists comma-separated. */
    private static String cell(Object value) {
        if (value == null) {
            return "-";
        }
        if (value instanceof Map<?, ?> map) {
            StringBuilder text = new StringBuilder();
            map.forEach((key, inner) -> text.append(text.isEmpty() ? "" : " ").append(key).append(' ')
                    .append(cell(inner)));
            return text.toString();
        }
        if (value instanceof List<?> list) {
            StringBuilder text = new StringBuilder();
            for (Object inner : list) {
                text.append(text.isEmpty() ? "" : ",").append(cell(inner));
            }
            return text.isEmpty() ? "-" : text.toString();
        }
        return value.toString();
    }

    /** The two output formats. */
    enum Format {
        TABLE, JSON
    }
}
