package dev.jwal.cli;

import dev.jwal.core.Wal;
import dev.jwal.core.WalDirectory;
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

    /** A marker's ConfState, field by field (empty when the marker has none, as 3.4 writes them). */
    private static final List<String> CONF_STATE_FIELDS = List.of("voters", "learners", "votersOutgoing",
            "learnersNext", "autoLeave");

    @Override
    int run(Printer printer) {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (WalSnapshot snapshot : WalDirectory.validSnapshotEntries(directory, options)) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.putAll(Views.snapshot(snapshot));
            Map<String, Object> confState = Views.confState(snapshot.confState());
            for (String field : CONF_STATE_FIELDS) {
                row.put(field, confState == null ? null : confState.get(field));
            }
            rows.add(row);
        }
        printer.table("snapshots", null, rows);
        return ExitCodes.OK;
    }
}
