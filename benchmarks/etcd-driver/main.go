// Command etcd-walbench runs jwal's benchmark workloads against etcd's own wal package, so that
// benchmarks/compare-etcd.sh can quote jwal's figures as ratios to etcd's, measured in one run on
// one disk. It is built against Debian's golang-etcd-server-dev (etcd 3.4) in GOPATH mode.
//
// Each run prints one JSON line: the workload, its parameters, and what it measured.
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"io/ioutil"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"time"

	"go.etcd.io/etcd/raft/raftpb"
	"go.etcd.io/etcd/wal"
	"go.etcd.io/etcd/wal/walpb"
	"go.uber.org/zap"
)

type result struct {
	Engine      string  `json:"engine"`
	Workload    string  `json:"workload"`
	Size        int     `json:"size"`
	Batch       int     `json:"batch"`
	Threads     int     `json:"threads"`
	Seconds     float64 `json:"seconds"`
	Saves       int64   `json:"saves"`
	Entries     int64   `json:"entries"`
	Bytes       int64   `json:"bytes"`
	SavesPerSec float64 `json:"savesPerSec"`
	EntriesPerS float64 `json:"entriesPerSec"`
	MBPerSec    float64 `json:"mbPerSec"`
}

func main() {
	dir := flag.String("dir", "", "a directory on the disk under test; the WAL is made in a fresh folder under it")
	workload := flag.String("workload", "write", "write (fsync per save), nosync (SetUnsafeNoFsync), concurrent (fsync per save, many writers), replay (ReadAll)")
	size := flag.Int("size", 100, "entry data bytes")
	batch := flag.Int("batch", 1, "entries per save")
	threads := flag.Int("threads", 1, "writers, for concurrent")
	seconds := flag.Float64("seconds", 5, "how long to measure (after one second of warm-up)")
	replayBytes := flag.Int64("replay-bytes", 512<<20, "WAL size to write before a replay")
	flag.Parse()
	if *dir == "" {
		fail(fmt.Errorf("-dir is required"))
	}
	base, err := ioutil.TempDir(*dir, "etcd-walbench-")
	if err != nil {
		fail(err)
	}
	defer os.RemoveAll(base)
	walDir := filepath.Join(base, "wal")
	r := result{Engine: "etcd", Workload: *workload, Size: *size, Batch: *batch, Threads: *threads}
	switch *workload {
	case "write", "nosync", "concurrent":
		r = runWrites(walDir, r, *seconds)
	case "replay":
		r = runReplay(walDir, r, *replayBytes)
	default:
		fail(fmt.Errorf("unknown workload %q", *workload))
	}
	out, _ := json.Marshal(r)
	fmt.Println(string(out))
}

func runWrites(walDir string, r result, seconds float64) result {
	w, err := wal.Create(zap.NewNop(), walDir, []byte("somedata"))
	if err != nil {
		fail(err)
	}
	if r.Workload == "nosync" {
		w.SetUnsafeNoFsync()
	}
	data := make([]byte, r.Size)
	for i := range data {
		data[i] = byte(i)
	}
	var mu sync.Mutex
	var next uint64 = 1
	var saves, entries int64
	var measuring int32
	stop := make(chan struct{})
	var wg sync.WaitGroup
	writers := r.Threads
	if r.Workload != "concurrent" {
		writers = 1
	}
	for t := 0; t < writers; t++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			ents := make([]raftpb.Entry, r.Batch)
			for {
				select {
				case <-stop:
					return
				default:
				}
				// As a raft node does: indexes are given and saved in order, one save at a time.
				mu.Lock()
				for i := range ents {
					ents[i] = raftpb.Entry{Term: 1, Index: next, Type: raftpb.EntryNormal, Data: data}
					next++
				}
				err := w.Save(raftpb.HardState{Term: 1, Commit: next - 1}, ents)
				mu.Unlock()
				if err != nil {
					fail(err)
				}
				if atomic.LoadInt32(&measuring) == 1 {
					atomic.AddInt64(&saves, 1)
					atomic.AddInt64(&entries, int64(len(ents)))
				}
			}
		}()
	}
	time.Sleep(time.Second)
	atomic.StoreInt32(&measuring, 1)
	start := time.Now()
	time.Sleep(time.Duration(seconds * float64(time.Second)))
	atomic.StoreInt32(&measuring, 0)
	elapsed := time.Since(start).Seconds()
	close(stop)
	wg.Wait()
	w.Close()
	r.Seconds = elapsed
	r.Saves = atomic.LoadInt64(&saves)
	r.Entries = atomic.LoadInt64(&entries)
	r.Bytes = r.Entries * int64(r.Size)
	r.SavesPerSec = float64(r.Saves) / elapsed
	r.EntriesPerS = float64(r.Entries) / elapsed
	r.MBPerSec = float64(r.Bytes) / elapsed / 1e6
	return r
}

func runReplay(walDir string, r result, total int64) result {
	w, err := wal.Create(zap.NewNop(), walDir, []byte("somedata"))
	if err != nil {
		fail(err)
	}
	w.SetUnsafeNoFsync()
	data := make([]byte, r.Size)
	ents := make([]raftpb.Entry, r.Batch)
	var next uint64 = 1
	var written int64
	for written < total {
		for i := range ents {
			ents[i] = raftpb.Entry{Term: 1, Index: next, Type: raftpb.EntryNormal, Data: data}
			next++
		}
		if err := w.Save(raftpb.HardState{Term: 1, Commit: next - 1}, ents); err != nil {
			fail(err)
		}
		written += int64(len(ents) * r.Size)
	}
	if err := w.Sync(); err != nil {
		fail(err)
	}
	w.Close()
	best := 0.0
	for round := 0; round < 3; round++ {
		start := time.Now()
		rw, err := wal.OpenForRead(zap.NewNop(), walDir, walpb.Snapshot{})
		if err != nil {
			fail(err)
		}
		_, _, read, err := rw.ReadAll()
		if err != nil {
			fail(err)
		}
		rw.Close()
		elapsed := time.Since(start).Seconds()
		r.Entries = int64(len(read))
		r.Bytes = written
		if mb := float64(written) / elapsed / 1e6; mb > best {
			best = mb
			r.Seconds = elapsed
		}
	}
	r.MBPerSec = best
	r.EntriesPerS = float64(r.Entries) / r.Seconds
	return r
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "etcd-walbench:", err)
	os.Exit(1)
}
