#!/usr/bin/env bash
# Writes an application log with jwal (many small segments, so that the sealed ones get index
# files and a checkpoint under jwal-index/), opens it with etcd 3.4's own wal package (Open,
# ReadAll, a Save, Verify), then opens it with jwal again. Not run by CI: it needs Go and
# Debian's etcd sources (installed here when missing).
#
# usage: tools/etcd-read/run.sh [DIR=/tmp/jwal-etcd-read]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
out=${1:-/tmp/jwal-etcd-read}

if ! command -v go >/dev/null || [ ! -d /usr/share/gocode/src/go.etcd.io/etcd/wal ]; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq golang-go golang-etcd-server-dev
fi
build=$(mktemp -d)
trap 'rm -rf "$build"' EXIT
mkdir -p "$build/src/jwal-etcd-read"
cp "$here/main.go" "$build/src/jwal-etcd-read/"
(cd "$build" && GO111MODULE=off GOPATH="$build:/usr/share/gocode" go build -o "$build/read" jwal-etcd-read)

rm -rf "$out"
jar="$root/wal-cli/target/jwal.jar"
[ -f "$jar" ] || (cd "$root" && ./mvnw -B -q -pl wal-cli -am package -DskipTests)
java -cp "$root/benchmarks/target/benchmarks.jar" dev.jwal.benchmarks.LongLogCost --write-only "$out" 20000 100 65536
echo "jwal wrote: $(ls "$out" | wc -l) entries in the directory, $(ls "$out/jwal-index" | wc -l) in jwal-index/"
"$build/read" "$out"
java -cp "$root/benchmarks/target/benchmarks.jar" dev.jwal.benchmarks.LongLogCost --read-only "$out"
