package dev.jwal.cli;

import dev.jwal.core.Entry;
import dev.jwal.core.EntryType;
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
    SnapshotOptions snapshot;

    @Option(names = "--start-index", paramLabel = "INDEX",
            description = "Only entries at or above this index (with any entry filter, states and snapshot markers"
                    + " are left out).")
    Long startIndex;

    @Option(names = "--end-index", paramLabel = "INDEX", description = "Only entries at or below this index.")
    Long endIndex;

    @Option(names = "--entry-type", paramLabel = "TYPE",
            description = "Only entries of this type: ${COMPLETION-CANDIDATES}.", converter = EntryTypeConverter.class)
    EntryType entryType;

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
        List<Row> rows = new ArrayList<>();
        List<Row> entries = new ArrayList<>();
        ScanOutcome outcome = inspector.scanFrom(directory, snapshot.index, record -> {
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
        for (Row row : rows) {
            if (shows(row)) {
                if (raw && row.entry) {
                    row.fields.put("note", row.overwritten ? "overwritten" : null);
                }
                shown.add(row.fields);
            }
        }
        printer.table("records", null, shown);
        printer.field("end", switch (outcome.ending()) {
            case CLEAN -> "clean";
            case TORN_TAIL -> "torn tail at " + outcome.file().getFileName() + " offset " + outcome.validEnd();
            case CORRUPT -> "corrupt at " + outcome.file().getFileName() + " offset " + outcome.validEnd();
        });
        if (outcome.problem() != null) {
            printer.field("reason", outcome.problem().getMessage());
        }
        return switch (outcome.ending()) {
            case CLEAN -> ExitCodes.OK;
            case TORN_TAIL -> ExitCodes.REPAIRABLE;
            case CORRUPT -> ExitCodes.CORRUPT;
        };
    }

    private boolean shows(Row row) {
        if (!row.entry) {
            // An entry filter asks about entries: the thousands of states between them would bury them.
            boolean filtering = startIndex != null || endIndex != null || entryType != null;
            Object type = row.fields.get("type");
            return "metadata".equals(type) || !filtering && (raw || !"crc".equals(type));
        }
        if (!raw && (row.overwritten || Long.compareUnsigned(row.index, snapshot.index) <= 0)) {
            return false;
        }
        if (startIndex != null && Long.compareUnsigned(row.index, startIndex) < 0) {
            return false;
        }
        if (endIndex != null && Long.compareUnsigned(row.index, endIndex) > 0) {
            return false;
        }
        return entryType == null || entryType.name().toLowerCase(Locale.ROOT).replace('_', '-')
                .equals(row.fields.get("entryType"));
    }

    private static Row toRow(WalRecord record) {
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
                fields.put("term", Long.toUnsignedString(entry.term()));
                fields.put("index", Long.toUnsignedString(entry.index()));
                fields.put("entryType", entry.type() == null ? "unknown"
                        : entry.type().name().toLowerCase(Locale.ROOT).replace('_', '-'));
                fields.put("len", entry.dataLength());
                fields.put("data", preview(entry.data()));
            }
            case STATE -> fields.put("data", "term=" + Long.toUnsignedString(record.hardState().term()) + " vote="
                    + Long.toUnsignedString(record.hardState().vote()) + " commit="
                    + Long.toUnsignedString(record.hardState().commit()));
            case SNAPSHOT -> {
                fields.put("term", Long.toUnsignedString(record.snapshot().term()));
                fields.put("index", Long.toUnsignedString(record.snapshot().index()));
            }
            case METADATA -> {
                fields.put("len", record.metadata() == null ? 0 : record.metadata().length);
                fields.put("data", preview(record.metadata()));
            }
            case CRC -> fields.put("data", String.format("crc=%08x", record.crc()));
        }
        return new Row(fields, index, record.kind() == RecordKind.ENTRY);
    }

    /** Printable ASCII as a quoted string, anything else as hex; both cut short. */
    static String preview(byte[] data) {
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
            return "\"" + (text.length() > PREVIEW_CHARS ? text.substring(0, PREVIEW_CHARS) + "..." : text) + "\"";
        }
        int n = Math.min(data.length, PREVIEW_BYTES);
        return "0x" + HexFormat.of().formatHex(data, 0, n) + (data.length > n ? "..." : "");
    }

    /** Accepts normal, conf-change, conf-change-v2 in any case. */
    static final class EntryTypeConverter implements picocli.CommandLine.ITypeConverter<EntryType> {
        @Override
        public EntryType convert(String value) {
            return EntryType.valueOf(value.toUpperCase(Locale.ROOT).replace('-', '_'));
        }
    }
}
