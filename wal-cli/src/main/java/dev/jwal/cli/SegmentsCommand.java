package dev.jwal.cli;

import dev.jwal.core.WalDirectory;
import dev.jwal.core.inspect.LeftoverFile;
import dev.jwal.core.inspect.RecordKind;
import dev.jwal.core.inspect.SegmentReport;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Command;

/** {@code jwal segments DIR}: each segment's name, records and state, and the files beside them. */
@Command(name = "segments", mixinStandardHelpOptions = true,
        description = "List each segment: sequence, first index, size, records, entry range, preallocated tail,"
                + " state; and leftover .tmp and .broken files. Reads only; safe while the WAL is in use.")
final class SegmentsCommand extends WalDirectoryCommand {

    @Override
    int run(Printer printer) {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (SegmentReport report : inspector.segments(directory)) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("name", report.name());
            row.put("seq", Printer.u64(report.sequence()));
            row.put("firstIndex", Printer.u64(report.firstIndex()));
            row.put("size", report.size());
            row.put("records", report.records());
            row.put("entries", report.recordsByKind().get(RecordKind.ENTRY));
            row.put("firstEntry", report.firstEntryIndex() == null ? null : Printer.u64(report.firstEntryIndex()));
            row.put("lastEntry", report.lastEntryIndex() == null ? null : Printer.u64(report.lastEntryIndex()));
            row.put("dataEnd", report.dataEnd());
            row.put("preallocatedTail", report.preallocatedTail());
            row.put("state", report.outcome().ending().name().toLowerCase(Locale.ROOT).replace('_', '-'));
            rows.add(row);
        }
        printer.table("segments", null, rows);
        List<Map<String, Object>> others = new ArrayList<>();
        for (LeftoverFile file : inspector.leftovers(directory)) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("name", file.name());
            row.put("size", file.size());
            row.put("role", file.role().name().toLowerCase(Locale.ROOT).replace('_', '-'));
            others.add(row);
        }
        printer.table("otherFiles", "\nOther files:", others);
        return ExitCodes.OK;
    }
}
