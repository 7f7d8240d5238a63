#!/usr/bin/env bash
# Runs the sample as a three-node jgroups-raft cluster on this machine (profile "cluster"):
#   ./cluster.sh start    nodes A, B, C on HTTP ports 8080-8082 (actuator 8090-8092),
#                         raft on 7800-7802, data in ./data/A ... ./data/C, logs in ./data/*.log
#   ./cluster.sh stop     stops the three (SIGTERM: each syncs and leaves the cluster)
# Build first with ../mvnw -B -DskipTests package (from sample-app) or ./mvnw -B -DskipTests package.
set -euo pipefail
cd "$(dirname "$0")"
JAR=target/sample-app.jar
case "${1:-}" in
  start)
    [ -f "$JAR" ] || { echo "no $JAR: build it first (./mvnw -B -DskipTests package)" >&2; exit 1; }
    mkdir -p data
    i=0
    for node in A B C; do
      java -jar "$JAR" --spring.profiles.active=cluster --wal.raft.node-name=$node \
        --app.data-dir=./data/$node --server.port=$((8080 + i)) --management.server.port=$((8090 + i)) \
        > data/$node.log 2>&1 &
      echo $! > data/$node.pid
      echo "node $node: http://localhost:$((8080 + i))/kv (pid $(cat data/$node.pid), log data/$node.log)"
      i=$((i + 1))
    done
    ;;
  stop)
    for node in A B C; do
      if [ -f data/$node.pid ]; then
        kill "$(cat data/$node.pid)" 2>/dev/null || true
        rm -f data/$node.pid
      fi
    done
    ;;
  *)
    echo "usage: $0 start|stop" >&2
    exit 2
    ;;
esac
