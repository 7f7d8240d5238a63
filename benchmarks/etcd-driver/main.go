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
	workload := flag.String("workload", "write", "write (fsync per save), nosync (SetUnsafeNoFsync), concurrent (fsync per save, many writers), replay (ReadAll), openloop (one writer, fsync per save, each save due at a fixed rate)")
	size := flag.Int("size", 100, "entry data bytes")
	batch := flag.Int("batch", 1, "entries per save")
	threads := flag.Int("threads", 1, "writers, for concurrent")
	seconds := flag.Float64("seconds", 5, "how long to measure (after one second of warm-up)")
	replayBytes := flag.Int64("replay-bytes", 512<<20, "WAL size to write before a replay")
	rate := flag.Float64("rate", 1000, "saves per second offered, for openloop")
	latencies := flag.String("latencies", "", "for openloop: a file that gets each save's latency in nanoseconds, one a line")
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
	case "openloop":
		if *latencies == "" {
			fail(fmt.Errorf("openloop needs -latencies"))
		}
		r = runOpenLoop(walDir, r, *seconds, *rate, *latencies)
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

// runOpenLoop saves one entry at a time from one goroutine, each save due at start + i/rate, and
// records each save's latency from when it was due, not from when it started: a save that starts
// late because the one before it stalled counts its wait too, as a caller at that rate would feel it
// (the correction for coordinated omission). One second at the rate warms up first, unrecorded.
func runOpenLoop(walDir string, r result, seconds, rate float64, latencyFile string) result {
	w, err := wal.Create(zap.NewNop(), walDir, []byte("somedata"))
	if err != nil {
		fail(err)
	}
	data := make([]byte, r.Size)
	for i := range data {
		data[i] = byte(i)
	}
	interval := time.Duration(float64(time.Second) / rate)
	warm := int64(rate)
	total := warm + int64(seconds*rate)
	recorded := make([]int64, 0, total-warm)
	ents := make([]raftpb.Entry, 1)
	start := time.Now()
	var measuredFrom time.Time
	for i := int64(0); i < total; i++ {
		due := start.Add(time.Duration(i) * interval)
		if wait := time.Until(due); wait > 0 {
			time.Sleep(wait)
		}
		if i == warm {
			measuredFrom = due
		}
		ents[0] = raftpb.Entry{Term: 1, Index: uint64(i + 1), Type: raftpb.EntryNormal, Data: data}
		if err := w.Save(raftpb.HardState{Term: 1, Commit: uint64(i + 1)}, ents); err != nil {
			fail(err)
		}
		if i >= warm {
			recorded = append(recorded, int64(time.Since(due)))
		}
	}
	elapsed := time.Since(measuredFrom).Seconds()
	w.Close()
	f, err := os.Create(latencyFile)
	if err != nil {
		fail(err)
	}
	for _, ns := range recorded {
		fmt.Fprintln(f, ns)
	}
	if err := f.Close(); err != nil {
		fail(err)
	}
	r.Seconds = elapsed
	r.Saves = int64(len(recorded))
	r.Entries = r.Saves
	r.Bytes = r.Entries * int64(r.Size)
	r.SavesPerSec = float64(r.Saves) / elapsed
	r.EntriesPerS = r.SavesPerSec
	r.MBPerSec = float64(r.Bytes) / elapsed / 1e6
	return r
}
