package dev.jwal.cli;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;
import picocli.CommandLine.TypeConversionException;

/** Option values named in any case, refused in the user's words rather than the JDK's. */
final class Converters {

    private Converters() {
    }

    /**
     * The constant of {@code type} named {@code value} in any case; a name it does not have says
     * which it does ("expected table or json, got 'yaml'") instead of Java's "No enum constant".
     */
    static <E extends Enum<E>> E oneOf(Class<E> type, String value) {
        for (E constant : type.getEnumConstants()) {
            if (constant.name().equalsIgnoreCase(value)) {
                return constant;
            }
        }
        String names = Arrays.stream(type.getEnumConstants()).map(c -> c.name().toLowerCase(Locale.ROOT))
                .collect(Collectors.joining(", "));
        int last = names.lastIndexOf(", ");
        if (last >= 0) {
            names = names.substring(0, last) + " or " + names.substring(last + 2);
        }
        throw new TypeConversionException("expected " + names + ", got '" + value + "'");
    }
}
