package dev.jwal.sample.web;

import org.springframework.http.HttpStatus;

/**
 * The body of a problem detail (RFC 9457) written by hand, where Spring's message converters do
 * not run: Tomcat's own refusals of a request it could not parse.
 */
final class ProblemJson {

    static final String MEDIA_TYPE = "application/problem+json";

    private ProblemJson() {
    }

    /** {@code {"type":"about:blank","title":...,"status":...,"detail":...}}. */
    static String of(int status, String detail) {
        HttpStatus known = HttpStatus.resolve(status);
        String title = known == null ? "Error" : known.getReasonPhrase();
        return "{\"type\":\"about:blank\",\"title\":" + quote(title) + ",\"status\":" + status + ",\"detail\":"
                + quote(detail == null || detail.isBlank() ? title : detail) + "}";
    }

    /** A JSON string: quotes, backslashes and control characters escaped. */
    static String quote(String text) {
        StringBuilder out = new StringBuilder(text.length() + 2).append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20 || c == 0x2028 || c == 0x2029) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }
}
