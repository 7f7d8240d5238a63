package dev.jwal.cli;

import dev.jwal.core.Entry;
import dev.jwal.core.EntryType;
import dev.jwal.core.Wal;
import dev.jwal.core.WalDirectory;
import dev.jwal.core.WalException;
import dev.jwal.core.WalSnapshot;
import dev.jwal.core.WalVerdict;
import dev.jwal.core.inspect.RecordKind;
import dev.jwal.core.inspect.ScanOutcome;
import dev.jwal.core.inspect.WalRecord;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code jwal dump DIR}: the records in order, like {@code etcd-dump-logs}. */
@Command(name = "dump", mixinStandardHelpOptions = true,
        description = { "Print the metadata, hard states, snapshot markers and entries in order, with where each lies.",
                "Entries that raft later overwrote, and those at or below --snap-index, are hidden as ReadAll hides"
                        + " them; --raw shows every record, marking overwritten entries. Reads only." })
final class DumpCommand extends WalDirectoryCommand {

    private static final int PREVIEW_CHARS = 40;
    private static final int PREVIEW_BYTES = 16;

    @Mixin
    SnapshotOptions snapshotOptions;

    @Option(names = "--start-index", paramLabel = "INDEX",
            description = "Only entries at or above this index (with any entry filter, states and snapshot markers"
                    + " are left out).")
    Long startIndex;

    @Option(names = "--end-index", paramLabel = "INDEX", description = "Only entries at or below this index.")
    Long endIndex;

    @Option(names = "--entry-type", paramLabel = "TYPE",
            description = "Only entries of this type: normal, conf (also confchange, conf-change, configchange),"
                    + " confv2 (also confchangev2, conf-change-v2), in any case, or a type number (etcd reads"
                    + " entries of any type number; jwal shows one it has no name for as unknown(N)).",
            converter = EntryTypeConverter.class)
    Integer entryType;

    @Option(names = "--data", paramLabel = "preview|full|hex|base64", defaultValue = "preview",
            converter = DataFormatConverter.class,
            description = "How to show an entry's data and the metadata: preview (default: text or hex, cut short),"
                    + " full (the same, whole), hex, base64 (whole).")
    DataFormat data = DataFormat.PREVIEW;

    @Option(names = "--raw", description = "Show every record: crc records, and overwritten entries marked as such.")
    boolean raw;

    /** A record to print, and for entries whether a later entry replaced it. */
    private static final class Row {
        final Map<String, Object> fields;
        final long index;
        final boolean entry;
        boolean overwritten;

        Row(Map<String, Object> fields, long index, boolean entry) {
            this.fields = fields;
            this.index = index;
            this.entry = entry;
        }
    }

    @Override
    int run(Printer printer) {
        try {
            return dump(printer);
        } catch (WalException e) {
            if (WalVerdict.kindOf(e) != WalVerdict.Kind.CORRUPT) {
                throw e;
            }
            // Damage to the directory itself (a gap, a headerless segment): nothing to list, but
            // the ending is verify's all the same.
            WalVerdict verdict = WalVerdict.of(e);
            printer.field("end", Verdicts.ending(verdict));
            Verdicts.print(printer, directory, verdict);
            return Verdicts.exitCode(verdict.kind());
        }
    }

    private int dump(Printer printer) {
        WalSnapshot snapshot = snapshotOptions.resolve(directory, inspector, options);
        long snapshotIndex = snapshot.index();
        List<Row> rows = new ArrayList<>();
        List<Row> entries = new ArrayList<>();
        Map<String, Object> byType = new LinkedHashMap<>();
        for (RecordKind kind : RecordKind.values()) {
            byType.put(plural(kind), 0L);
        }
        ScanOutcome outcome = inspector.scanFrom(directory, snapshotIndex, record -> {
            byType.merge(plural(record.kind()), 1L, (a, b) -> (Long) a + (Long) b);
            Row row = toRow(record);
            if (row.entry) {
                // Raft overwrote every entry at or above this index that came before it.
                for (int i = entries.size() - 1; i >= 0 && Long.compareUnsigned(entries.get(i).index, row.index) >= 0;
                        i--) {
                    entries.get(i).overwritten = true;
                }
                entries.add(row);
            }
            rows.add(row);
        });
        List<Map<String, Object>> shown = new ArrayList<>();
        long shownEntries = 0;
        Object firstIndex = null;
        Object lastIndex = null;
        for (Row row : rows) {
            if (shows(row, snapshotIndex)) {
                if (raw && row.entry) {
                    row.fields.put("note", row.overwritten ? "overwritten" : null);
                }
                if (row.entry) {
                    shownEntries++;
                    firstIndex = firstIndex == null ? row.fields.get("index") : firstIndex;
                    lastIndex = row.fields.get("index");
                }
                shown.add(row.fields);
            }
        }
        printer.table("records", null, shown);
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("records", (long) rows.size());
        summary.put("shown", (long) shown.size());
        summary.put("entries", shownEntries);
        summary.put("firstIndex", firstIndex);
        summary.put("lastIndex", lastIndex);
        summary.put("read", byType);
        printer.field("summary", summary);
        WalVerdict verdict = ending(snapshot, outcome);
        printer.field("end", Verdicts.ending(verdict));
        Verdicts.print(printer, directory, verdict);
        return Verdicts.exitCode(verdict.kind());
    }

    /**
     * How the log ends, as verify says it: the records shown stop where the inspector stopped,
     * and the verdict is the examination's, which also checks what follows on from what. A dump
     * does not judge the snapshot asked for: when that is all that is wrong, its scan decides.
     */
    private WalVerdict ending(WalSnapshot snapshot, ScanOutcome outcome) {
        WalVerdict verdict = WalDirectory.examine(directory, snapshot, options);
        if (verdict.kind() == WalVerdict.Kind.SNAPSHOT_NOT_FOUND) {
            return WalVerdict.of(outcome.problem());
        }
        if (verdict.kind() == WalVerdict.Kind.CANNOT_READ) {
            throw verdict.problem();
        }
        return verdict;
    }

    private boolean shows(Row row, long snapshotIndex) {
        if (!row.entry) {
            // An entry filter asks about entries: the thousands of states between them would bury them.
            boolean filtering = startIndex != null || endIndex != null || entryType != null;
            Object type = row.fields.get("type");
            return "metadata".equals(type) || !filtering && (raw || !"crc".equals(type));
        }
        if (!raw && (row.overwritten || Long.compareUnsigned(row.index, snapshotIndex) <= 0)) {
            return false;
        }
        if (startIndex != null && Long.compareUnsigned(row.index, startIndex) < 0) {
            return false;
        }
        if (endIndex != null && Long.compareUnsigned(row.index, endIndex) > 0) {
            return false;
        }
        return entryType == null || typeName(entryType).equals(row.fields.get("entryType"));
    }

    private static String plural(RecordKind kind) {
        return switch (kind) {
            case METADATA -> "metadata";
            case ENTRY -> "entries";
            default -> kind.name().toLowerCase(Locale.ROOT) + "s";
        };
    }

    /** The type's name, as {@code --entry-type} and the output show it: unknown(N) for a number without one. */
    private static String typeName(int typeNumber) {
        EntryType type = EntryType.forNumber(typeNumber);
        return type == EntryType.UNKNOWN ? "unknown(" + typeNumber + ")"
                : type.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    private Row toRow(WalRecord record) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("segment", record.file().getFileName().toString());
        fields.put("offset", record.offset());
        fields.put("type", record.kind().name().toLowerCase(Locale.ROOT));
        fields.put("term", null);
        fields.put("index", null);
        fields.put("entryType", null);
        fields.put("len", null);
        fields.put("data", null);
        fields.put("note", null);
        long index = 0;
        switch (record.kind()) {
            case ENTRY -> {
                Entry entry = record.entry();
                index = entry.index();
                fields.put("term", Printer.u64(entry.term()));
                fields.put("index", Printer.u64(entry.index()));
                fields.put("entryType", typeName(entry.typeNumber()));
                fields.put("len", entry.dataLength());
                fields.put("data", data.show(entry.data()));
            }
            case STATE -> fields.put("data", Views.hardState(record.hardState()));
            case SNAPSHOT -> {
                fields.put("term", Printer.u64(record.snapshot().term()));
                fields.put("index", Printer.u64(record.snapshot().index()));
                fields.put("data", Views.confState(record.snapshot().confState()));
            }
            case METADATA -> {
                fields.put("len", record.metadata() == null ? 0 : record.metadata().length);
                fields.put("data", data.show(record.metadata()));
            }
            case CRC -> fields.put("data", Map.of("crc", Integer.toUnsignedLong(record.crc())));
        }
        return new Row(fields, index, record.kind() == RecordKind.ENTRY);
    }

    /** Printable ASCII as a quoted string, anything else as hex; both cut short unless {@code whole}. */
    static String text(byte[] data, boolean whole) {
        if (data == null) {
            return "nil";
        }
        boolean printable = true;
        for (byte b : data) {
            if (b < 0x20 || b > 0x7e) {
                printable = false;
                break;
            }
        }
        if (printable) {
            String text = new String(data, java.nio.charset.StandardCharsets.US_ASCII);
            return "\"" + (!whole && text.length() > PREVIEW_CHARS ? text.substring(0, PREVIEW_CHARS) + "..." : text)
                    + "\"";
        }
        int n = whole ? data.length : Math.min(data.length, PREVIEW_BYTES);
        return "0x" + HexFormat.of().formatHex(data, 0, n) + (data.length > n ? "..." : "");
    }

    /** How --data shows bytes; nil (absent) data is {@code nil} in every form. */
    enum DataFormat {
        PREVIEW, FULL, HEX, BASE64;

        Object show(byte[] bytes) {
            if (bytes == null) {
                return "nil";
            }
            return switch (this) {
                case PREVIEW -> text(bytes, false);
                case FULL -> text(bytes, true);
                case HEX -> HexFormat.of().formatHex(bytes);
                case BASE64 -> java.util.Base64.getEncoder().encodeToString(bytes);
            };
        }
    }

    /** Accepts the data formats in any case. */
    static final class DataFormatConverter implements picocli.CommandLine.ITypeConverter<DataFormat> {
        @Override
        public DataFormat convert(String value) {
            return Converters.oneOf(DataFormat.class, value);
        }
    }

    /**
     * Accepts etcd's and raft's names of entry types in any case, with or without '-' or '_', or a
     * type number; gives the type number.
     */
    static final class EntryTypeConverter implements picocli.CommandLine.ITypeConverter<Integer> {
        @Override
        public Integer convert(String value) {
            if (value.matches("-?[0-9]{1,10}")) {
                try {
                    return Integer.parseInt(value);
                } catch (NumberFormatException e) {
                    throw new picocli.CommandLine.TypeConversionException("entry type number '" + value
                            + "' is out of raft's int32 range");
                }
            }
            String name = value.toLowerCase(Locale.ROOT).replace("-", "").replace("_", "");
            return switch (name) {
                case "normal", "entrynormal" -> EntryType.NORMAL.number();
                case "conf", "confchange", "configchange", "entryconfchange" -> EntryType.CONF_CHANGE.number();
                case "confv2", "confchangev2", "configchangev2", "entryconfchangev2" -> EntryType.CONF_CHANGE_V2.number();
                default -> throw new picocli.CommandLine.TypeConversionException("unknown entry type '" + value
                        + "': give normal, conf, confv2 or a type number");
            };
        }
    }
}
