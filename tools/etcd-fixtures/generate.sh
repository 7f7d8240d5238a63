#!/usr/bin/env bash
# Generates WAL fixtures with etcd 3.4's own wal package (Debian's golang-etcd-server-dev sources,
# built with Debian's Go): each fixture is spec.json (the operations), wal/ (what etcd left, then
# damaged as its kind says) and expected.json (what etcd reads back). Not run by CI.
#
# usage:
#   tools/etcd-fixtures/generate.sh --repository
#       rewrites the fixtures the project keeps, wal-core/src/test/resources/etcd/, from fixed seeds
#       (the interop tests of wal-core and wal-cli read them by default)
#   tools/etcd-fixtures/generate.sh [OUT=/tmp/jwal-etcd-fixtures] [COUNT=20] [FIRST_SEED=1]
#       writes COUNT fresh fixtures of each kind under OUT, then runs EtcdInteropTest on them
#       with -Djwal.interop.fixtures=OUT (data the tests have never seen)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)

if ! command -v go >/dev/null || [ ! -d /usr/share/gocode/src/go.etcd.io/etcd/wal ]; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq golang-go golang-etcd-server-dev
fi

build=$(mktemp -d)
trap 'rm -rf "$build"' EXIT
mkdir -p "$build/src/jwal-etcd-fixtures"
cp "$here/main.go" "$build/src/jwal-etcd-fixtures/"
(cd "$build" && GO111MODULE=off GOPATH="$build:/usr/share/gocode" go build -o "$build/gen" jwal-etcd-fixtures)

if [ "${1:-}" = "--repository" ]; then
  out="$root/wal-core/src/test/resources/etcd"
  find "$out" -mindepth 1 -maxdepth 1 -type d -exec rm -rf {} +
  # kind:seed pairs, at most 200 saves each: a few hundred KB a fixture, with cuts, snapshots,
  # overwrites, closed and abandoned WALs among them.
  for pair in none:1 none:2 none:5 flip:2 flip:4 flip-last:3 flip-last:5 torn-cut:2 torn-cut:5 \
      torn-zero:2 torn-zero:5; do
    kind=${pair%%:*} seed=${pair##*:}
    "$build/gen" "$out/$kind-$seed" "$seed" "$kind" 200
  done
  echo "wrote $(find "$out" -mindepth 1 -maxdepth 1 -type d | wc -l) fixtures to $out ($(du -sh "$out" | cut -f1))"
  exit 0
fi

out=${1:-/tmp/jwal-etcd-fixtures}
count=${2:-20}
seed=${3:-1}
rm -rf "$out"
mkdir -p "$out"
for kind in none flip flip-last torn-cut torn-zero; do
  for i in $(seq 0 $((count - 1))); do
    "$build/gen" "$out/$kind-$((seed + i))" "$((seed + i))" "$kind"
  done
done
echo "wrote $(ls "$out" | wc -l) fixtures to $out"

cd "$root"
./mvnw -B -pl wal-core -am verify -Dtest=EtcdInteropTest -Dsurefire.failIfNoSpecifiedTests=false \
  -Djwal.interop.fixtures="$out"
