package dev.jwal.cli;

import dev.jwal.core.ConfState;
import dev.jwal.core.HardState;
import dev.jwal.core.ReadableRecords;
import dev.jwal.core.WalException;
import dev.jwal.core.WalSnapshot;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The core's values as the fields a command prints: objects in JSON, "key value" in a table. */
final class Views {

    private Views() {
    }

    static Map<String, Object> hardState(HardState state) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("term", Printer.u64(state.term()));
        view.put("vote", Printer.u64(state.vote()));
        view.put("commit", Printer.u64(state.commit()));
        return view;
    }

    static Map<String, Object> snapshot(WalSnapshot snapshot) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("index", Printer.u64(snapshot.index()));
        view.put("term", Printer.u64(snapshot.term()));
        return view;
    }

    /** A whole ConfState, or null for a marker without one. */
    static Map<String, Object> confState(ConfState state) {
        if (state == null) {
            return null;
        }
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("voters", ids(state.voters()));
        view.put("learners", ids(state.learners()));
        view.put("votersOutgoing", ids(state.votersOutgoing()));
        view.put("learnersNext", ids(state.learnersNext()));
        view.put("autoLeave", state.autoLeave());
        return view;
    }

    /** Where a problem was found: the file and, when known, the offset. */
    static Map<String, Object> place(WalException problem) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("file", problem.file().map(Object::toString).orElse(null));
        view.put("offset", problem.offset() < 0 ? null : problem.offset());
        return view;
    }

    /** What follows damage intact: where, how many records, which entries, the last hard state. */
    static Map<String, Object> readable(ReadableRecords readable) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("records", readable.records());
        view.put("fromOffset", readable.firstOffset());
        view.put("toOffset", readable.endOffset());
        view.put("firstIndex", readable.firstEntryIndex() < 0 ? null : Printer.u64(readable.firstEntryIndex()));
        view.put("lastIndex", readable.lastEntryIndex() < 0 ? null : Printer.u64(readable.lastEntryIndex()));
        view.put("hardState", readable.hardState().map(Views::hardState).orElse(null));
        return view;
    }

    private static List<Object> ids(List<Long> ids) {
        return ids.stream().map(id -> Printer.u64(id)).toList();
    }
}
