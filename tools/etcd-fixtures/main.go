// Writes WAL fixtures with etcd 3.4's own wal package, in the layout of shared/fixtures/etcd:
// spec.json (the operations), wal/ (what etcd left, then damaged as the kind says) and
// expected.json (what etcd reads back). Usage: jwal-etcd-fixtures OUT SEED KIND [MAX_SAVES], KIND
// one of none, flip, flip-last, torn-cut, torn-zero; MAX_SAVES bounds the random number of saves
// (default 440; the repository's own fixtures use fewer to stay small). Built and run by
// generate.sh; not part of the build.
package main

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io/ioutil"
	"math/rand"
	"os"
	"path/filepath"
	"sort"
	"strconv"

	"go.etcd.io/etcd/raft/raftpb"
	"go.etcd.io/etcd/wal"
	"go.etcd.io/etcd/wal/walpb"
	"go.uber.org/zap"
)

var lg = zap.NewNop()

type M = map[string]interface{}

func copyDir(src, dst string) {
	os.MkdirAll(dst, 0700)
	fs, _ := ioutil.ReadDir(src)
	for _, f := range fs {
		b, _ := ioutil.ReadFile(filepath.Join(src, f.Name()))
		ioutil.WriteFile(filepath.Join(dst, f.Name()), b, 0600)
	}
}

func readResult(md []byte, st raftpb.HardState, ents []raftpb.Entry, err error) M {
	es := []M{}
	for _, e := range ents {
		h := sha256.Sum256(e.Data)
		es = append(es, M{"index": e.Index, "term": e.Term, "type": int(e.Type), "len": len(e.Data), "nil": e.Data == nil, "sha256": hex.EncodeToString(h[:])})
	}
	msg := ""
	if err != nil {
		msg = err.Error()
	}
	return M{"metadata": hex.EncodeToString(md), "state": M{"term": st.Term, "vote": st.Vote, "commit": st.Commit}, "entries": es, "error": msg}
}

// dataEnd is the offset after the last non-zero byte: where the preallocated zeros begin.
func dataEnd(b []byte) int {
	end := len(b)
	for end > 0 && b[end-1] == 0 {
		end--
	}
	return end
}

func safe(f func() M) (r M) {
	defer func() {
		if p := recover(); p != nil {
			r = M{"panic": fmt.Sprint(p)}
		}
	}()
	return f()
}

func doRead(dir string, snap walpb.Snapshot, write bool) M {
	return safe(func() M {
		var w *wal.WAL
		var err error
		if write {
			w, err = wal.Open(lg, dir, snap)
		} else {
			w, err = wal.OpenForRead(lg, dir, snap)
		}
		if err != nil {
			return readResult(nil, raftpb.HardState{}, nil, err)
		}
		defer w.Close()
		return readResult(w.ReadAll())
	})
}

// frames lists every frame of a segment as etcd's decoder lays them out: an 8-byte little-endian
// length field (low 56 bits the record's length; when the top bit is set, bits 56-58 the padding),
// then the walpb.Record. It stops at a zero length (preallocated space), at a frame running past
// the file, or at a record that does not unmarshal; CRCs are listed, not checked.
func frames(dir, name string) []M {
	b, _ := ioutil.ReadFile(filepath.Join(dir, name))
	out := []M{}
	for off := 0; off+8 <= len(b); {
		field := binary.LittleEndian.Uint64(b[off:])
		if field == 0 {
			break
		}
		n := int(field & 0x00FFFFFFFFFFFFFF)
		pad := 0
		if field&(1<<63) != 0 {
			pad = int((field >> 56) & 0x7)
		}
		if n < 0 || off+8+n+pad > len(b) {
			break
		}
		var rec walpb.Record
		if err := rec.Unmarshal(b[off+8 : off+8+n]); err != nil {
			break
		}
		out = append(out, M{"file": name, "offset": off, "type": rec.Type, "len": n, "pad": pad, "crc": rec.Crc,
			"dataLen": len(rec.Data)})
		off += 8 + n + pad
	}
	return out
}

func main() {
	out := os.Args[1]
	seed, _ := strconv.ParseInt(os.Args[2], 10, 64)
	kind := os.Args[3]
	r := rand.New(rand.NewSource(seed))
	wal.SegmentSizeBytes = 65536
	dir := filepath.Join(out, "wal")
	os.MkdirAll(out, 0755)
	meta := make([]byte, 1+r.Intn(20))
	r.Read(meta)
	w, err := wal.Create(lg, dir, meta)
	if err != nil {
		panic(err)
	}
	ops := []M{}
	var last uint64
	var term uint64 = 1
	var commit uint64
	maxSaves := 440
	if len(os.Args) > 4 {
		maxSaves, _ = strconv.Atoi(os.Args[4])
	}
	nsaves := 40 + r.Intn(maxSaves-40)
	for i := 0; i < nsaves; i++ {
		x := r.Intn(100)
		if x < 8 && commit > 0 {
			idx := uint64(1 + r.Int63n(int64(commit)))
			s := walpb.Snapshot{Index: idx, Term: term}
			w.SaveSnapshot(s)
			ops = append(ops, M{"op": "snapshot", "index": idx, "term": term})
			continue
		}
		if x < 10 {
			w.Sync()
			ops = append(ops, M{"op": "sync"})
			continue
		}
		if x < 12 {
			idx := uint64(r.Int63n(int64(last + 2)))
			w.ReleaseLockTo(idx)
			ops = append(ops, M{"op": "releaseLockTo", "index": idx})
			continue
		}
		from := last + 1
		if r.Intn(10) == 0 && last > commit {
			from = commit + 1 + uint64(r.Int63n(int64(last-commit)))
			term++
		}
		n := r.Intn(6)
		ents := []raftpb.Entry{}
		jents := []M{}
		for k := 0; k < n; k++ {
			e := raftpb.Entry{Index: from + uint64(k), Term: term, Type: raftpb.EntryType(r.Intn(2))}
			je := M{"index": e.Index, "term": e.Term, "type": int(e.Type)}
			switch r.Intn(8) {
			case 0:
			case 1:
				e.Data = []byte{}
				je["data"] = ""
			default:
				sz := r.Intn(300)
				if r.Intn(15) == 0 {
					sz = r.Intn(9000)
				}
				e.Data = make([]byte, sz)
				r.Read(e.Data)
				je["data"] = base64.StdEncoding.EncodeToString(e.Data)
			}
			ents = append(ents, e)
			jents = append(jents, je)
		}
		if n > 0 {
			last = from + uint64(n) - 1
		}
		if r.Intn(3) == 0 && last > commit {
			commit += uint64(r.Int63n(int64(last-commit) + 1))
		}
		st := raftpb.HardState{Term: term, Vote: 1, Commit: commit}
		if r.Intn(6) == 0 {
			st = raftpb.HardState{}
		}
		if err := w.Save(st, ents); err != nil {
			panic(err)
		}
		ops = append(ops, M{"op": "save", "state": M{"term": st.Term, "vote": st.Vote, "commit": st.Commit}, "entries": jents})
	}
	closeIt := kind != "torn-cut" && kind != "torn-zero" && r.Intn(3) != 0
	if closeIt {
		w.Close()
	}
	// tear
	names := []string{}
	fs, _ := ioutil.ReadDir(dir)
	for _, f := range fs {
		if filepath.Ext(f.Name()) == ".wal" {
			names = append(names, f.Name())
		}
	}
	sort.Strings(names)
	var tear interface{}
	lastName := names[len(names)-1]
	switch kind {
	case "flip", "flip-last":
		name := names[r.Intn(len(names))]
		if kind == "flip-last" {
			name = lastName
		}
		p := filepath.Join(dir, name)
		b, _ := ioutil.ReadFile(p)
		// only inside written data, not the preallocated zeros
		end := dataEnd(b)
		if end == 0 {
			end = len(b)
		}
		off := r.Intn(end)
		b[off] ^= byte(1 << uint(r.Intn(8)))
		ioutil.WriteFile(p, b, 0600)
		tear = M{"kind": "flip", "file": name, "offset": off}
	case "torn-cut":
		p := filepath.Join(dir, lastName)
		b, _ := ioutil.ReadFile(p)
		end := dataEnd(b)
		cut := end - 1 - r.Intn(40)
		if cut < 100 {
			cut = end
		}
		ioutil.WriteFile(p, b[:cut], 0600)
		tear = M{"kind": "cut", "file": lastName, "truncatedTo": cut}
	case "torn-zero":
		p := filepath.Join(dir, lastName)
		b, _ := ioutil.ReadFile(p)
		end := dataEnd(b)
		sec := (end - 1 - r.Intn(2000)) / 512 * 512
		if sec < 512 {
			sec = 512
		}
		for i := sec; i < sec+512 && i < len(b); i++ {
			b[i] = 0
		}
		ioutil.WriteFile(p, b, 0600)
		tear = M{"kind": "zero-sector", "file": lastName, "zeroedFrom": sec, "zeroedBytes": 512}
	}
	exp := M{"etcd": "v3.4", "kind": kind, "seed": seed, "tear": tear}
	vs, verr := wal.ValidSnapshotEntries(lg, dir)
	jvs := []M{}
	for _, s := range vs {
		jvs = append(jvs, M{"index": s.Index, "term": s.Term})
	}
	exp["validSnapshots"] = jvs
	exp["validSnapshotsError"] = ""
	if verr != nil {
		exp["validSnapshotsError"] = verr.Error()
	}
	snaps := []walpb.Snapshot{{}}
	if len(vs) > 1 {
		snaps = append(snaps, vs[len(vs)/2], vs[len(vs)-1])
	}
	reads := []M{}
	for i, s := range snaps {
		cp := filepath.Join(out, fmt.Sprintf("tmp-open-%d", i))
		copyDir(dir, cp)
		rd := M{"snapshot": M{"index": s.Index, "term": s.Term}, "openForRead": doRead(dir, s, false), "open": doRead(cp, s, true)}
		if e := wal.Verify(lg, dir, s); e != nil {
			rd["verify"] = M{"ok": false, "error": e.Error()}
		} else {
			rd["verify"] = M{"ok": true}
		}
		os.RemoveAll(cp)
		reads = append(reads, rd)
	}
	exp["reads"] = reads
	ls := snaps[len(snaps)-1]
	exp["mismatch"] = M{"snapshot": M{"index": ls.Index, "term": ls.Term + 100}, "openForRead": doRead(dir, walpb.Snapshot{Index: ls.Index, Term: ls.Term + 100}, false)}
	cp := filepath.Join(out, "tmp-repair")
	copyDir(dir, cp)
	ok := wal.Repair(lg, cp)
	exp["repair"] = M{"repaired": ok}
	after := M{"open": doRead(cp, walpb.Snapshot{}, true)}
	files := []string{}
	fs2, _ := ioutil.ReadDir(cp)
	for _, f := range fs2 {
		n := f.Name()
		if filepath.Ext(n) == ".wal" || filepath.Ext(n) == ".broken" {
			files = append(files, n)
		}
	}
	after["files"] = files
	exp["afterRepair"] = after
	records := []M{}
	for _, name := range names {
		records = append(records, frames(dir, name)...)
	}
	exp["records"] = records
	os.RemoveAll(cp)
	spec := M{"metadata": base64.StdEncoding.EncodeToString(meta), "segmentSize": 65536, "close": closeIt, "ops": ops}
	sb, _ := json.Marshal(spec)
	eb, _ := json.Marshal(exp)
	ioutil.WriteFile(filepath.Join(out, "spec.json"), sb, 0644)
	ioutil.WriteFile(filepath.Join(out, "expected.json"), eb, 0644)
}
