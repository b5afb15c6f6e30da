#!/usr/bin/env bash
# Capture/restore benchmark of the node agent against dd|gzip, dd|zstd and partclone|zstd (docs/benchmarks.md).
# Needs root (loop devices, mounts, drop_caches) and about 14 GB free in the work directory.
# Usage: node-agent/bench/run.sh [work-dir] [content-MiB] [deleted-MiB]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
jar="$root/node-agent/target/node-agent-0.1.0-SNAPSHOT-all.jar"
if [ ! -f "$jar" ] || [ -n "$(find "$root/node-agent/src/main" -newer "$jar" -print -quit)" ]; then
  (cd "$root" && ./mvnw -q -pl node-agent -am package -DskipTests)
fi
exec "$JAVA_HOME/bin/java" -Xmx1g --enable-native-access=ALL-UNNAMED -cp "$jar" io.pureboot.clone.agent.bench.Benchmark "$@"
