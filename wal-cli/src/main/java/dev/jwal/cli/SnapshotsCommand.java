package dev.jwal.cli;

import dev.jwal.core.Wal;
import dev.jwal.core.WalSnapshot;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;

/** {@code jwal snapshots DIR}: the snapshots a restarting node may open at. */
@Command(name = "snapshots", mixinStandardHelpOptions = true,
        description = "List the valid snapshot entries: snapshot markers at or below the last commit index, oldest"
                + " first (etcd's ValidSnapshotEntries). Reads only.")
final class SnapshotsCommand extends WalDirectoryCommand {

    @Override
    int run(Printer printer) {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (WalSnapshot snapshot : Wal.validSnapshotEntries(directory, options)) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("index", Long.toUnsignedString(snapshot.index()));
            row.put("term", Long.toUnsignedString(snapshot.term()));
            row.put("voters", snapshot.confState() == null ? null : snapshot.confState().voters().toString());
            rows.add(row);
        }
        printer.table("snapshots", null, rows);
        return ExitCodes.OK;
    }
}
