#!/usr/bin/env bash
# Measures jwal and etcd's own WAL (etcd 3.4, Debian's golang-etcd-server-dev) on the same disk,
# in one run, each etcd workload just before jwal's, and writes benchmarks/results/: results.md
# (the table of ratios), threads.png (the plot), etcd.jsonl and the JMH JSON files. Optional; CI
# does not run it. About 13 minutes.
#
#   benchmarks/compare-etcd.sh [DIR]
#
# DIR is a directory on the disk to measure (default: benchmarks/target/bench-disk). Installs
# golang-go and golang-etcd-server-dev with apt when they are missing. ETCD_SECONDS sets how long
# each etcd workload is measured (default 3). --jwal-only skips etcd. The JVM is $JAVA_HOME's (the
# one on the PATH without it); on Java 22 and later the benchmarks run with
# --enable-native-access=ALL-UNNAMED, so that unsynced segments are preallocated by fallocate.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
jwal_only=false
if [[ "${1:-}" == "--jwal-only" ]]; then
  jwal_only=true
  shift
fi
dir=${1:-$root/benchmarks/target/bench-disk}
mkdir -p "$dir"
out=$root/benchmarks/results
mkdir -p "$out"
seconds=${ETCD_SECONDS:-3}

echo "== building jwal's benchmarks"
(cd "$root" && ./mvnw -B -q -pl benchmarks -am package -DskipTests)

driver_args=()
if ! $jwal_only; then
  if ! dpkg -s golang-go golang-etcd-server-dev >/dev/null 2>&1; then
    echo "== installing golang-go and golang-etcd-server-dev"
    sudo=""
    [[ $(id -u) -ne 0 ]] && sudo=sudo
    $sudo apt-get update -qq
    $sudo apt-get install -y -qq golang-go golang-etcd-server-dev
  fi
  echo "== building the Go driver against etcd's wal package"
  work=$(mktemp -d)
  trap 'rm -rf "$work"' EXIT
  cp "$root/benchmarks/etcd-driver/main.go" "$work/"
  (cd "$work" && GO111MODULE=off GOPATH=/usr/share/gocode GOCACHE="$work/cache" go build -o etcd-walbench main.go)

  driver_args=(--etcd-driver "$work/etcd-walbench" --etcd-seconds "$seconds")
fi

echo "== jwal's and etcd's workloads on $dir, each etcd run just before jwal's"
"${JAVA_HOME:+$JAVA_HOME/bin/}java" -cp "$root/benchmarks/target/benchmarks.jar" dev.jwal.benchmarks.Suite --dir "$dir" --out "$out" "${driver_args[@]}"
