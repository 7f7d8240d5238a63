// Opens a WAL directory with etcd 3.4's own wal package, as an etcd server restarting on it would
// (ValidSnapshotEntries, Open at the newest valid snapshot, ReadAll, one more Save, Close), then
// Verify, and prints what it read as JSON. Shows that etcd reads a directory jwal wrote, index
// files and checkpoint (jwal-index/) included. Usage: jwal-etcd-read DIR. Built and run by
// run.sh; not part of the build.
package main

import (
	"encoding/json"
	"fmt"
	"io/ioutil"
	"os"

	"go.etcd.io/etcd/raft/raftpb"
	"go.etcd.io/etcd/wal"
	"go.etcd.io/etcd/wal/walpb"
	"go.uber.org/zap"
)

func fail(what string, err error) {
	fmt.Fprintln(os.Stderr, "etcd-read:", what+":", err)
	os.Exit(1)
}

func main() {
	dir := os.Args[1]
	lg := zap.NewNop()
	snaps, err := wal.ValidSnapshotEntries(lg, dir)
	if err != nil {
		fail("ValidSnapshotEntries", err)
	}
	snap := snaps[len(snaps)-1]
	w, err := wal.Open(lg, dir, snap)
	if err != nil {
		fail("Open", err)
	}
	metadata, state, entries, err := w.ReadAll()
	if err != nil {
		fail("ReadAll", err)
	}
	last := snap.Index
	if len(entries) > 0 {
		last = entries[len(entries)-1].Index
	}
	next := raftpb.Entry{Term: state.Term, Index: last + 1, Type: raftpb.EntryNormal, Data: []byte("etcd was here")}
	state.Commit = next.Index
	if err := w.Save(state, []raftpb.Entry{next}); err != nil {
		fail("Save", err)
	}
	w.Close()
	if err := wal.Verify(lg, dir, walpb.Snapshot{Index: snap.Index, Term: snap.Term}); err != nil {
		fail("Verify", err)
	}
	names, _ := ioutil.ReadDir(dir)
	files := []string{}
	for _, f := range names {
		files = append(files, f.Name())
	}
	out, _ := json.Marshal(map[string]interface{}{
		"snapshot": snap.Index, "metadata": string(metadata), "entries": len(entries), "firstEntry": func() uint64 {
			if len(entries) == 0 {
				return 0
			}
			return entries[0].Index
		}(), "lastEntry": last, "saved": next.Index, "commit": state.Commit, "files": files,
	})
	fmt.Println(string(out))
}
