#!/usr/bin/env bash
# Generates fresh etcd-written WAL fixtures and runs jwal's interop test on them.
# Optional, not run by CI: installs Debian's Go and etcd 3.4 sources (golang-go,
# golang-etcd-server-dev), builds main.go against etcd's own wal package, writes COUNT fixtures
# of each kind under OUT, then runs EtcdInteropTest with -Djwal.interop.fixtures=OUT.
# usage: tools/etcd-fixtures/generate.sh [OUT=/tmp/jwal-etcd-fixtures] [COUNT=20] [FIRST_SEED=1]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
out=${1:-/tmp/jwal-etcd-fixtures}
count=${2:-20}
seed=${3:-1}

if ! command -v go >/dev/null || [ ! -d /usr/share/gocode/src/go.etcd.io/etcd/wal ]; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq golang-go golang-etcd-server-dev
fi

build=$(mktemp -d)
trap 'rm -rf "$build"' EXIT
mkdir -p "$build/src/jwal-etcd-fixtures"
cp "$here/main.go" "$build/src/jwal-etcd-fixtures/"
(cd "$build" && GO111MODULE=off GOPATH="$build:/usr/share/gocode" go build -o "$build/gen" jwal-etcd-fixtures)

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
