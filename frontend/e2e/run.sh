#!/usr/bin/env bash
# The console's end-to-end test, for ./pureboot test (after the Maven build: it runs the built jars).
# Builds the console, starts the e2e stack (stack.sh: own ports, shared PostgreSQL/Kafka/NFS),
# runs console.e2e.mjs in Chromium, with a real staged clone by node agents on loop disks, and stops what it
# started. Needs root (loop devices), /usr/bin/chromium (prereqs.sh) and nfs-ganesha running (deploy/dev/nfs.sh,
# started by ./pureboot test; beside other checkouts, under flock /tmp/pureboot-stack-tests.lock).
set -euo pipefail
E2E_DIR=$(cd "$(dirname "$0")" && pwd)
FRONTEND=$(cd "$E2E_DIR/.." && pwd)
ROOT=$(cd "$FRONTEND/.." && pwd)
export PUREBOOT_E2E_VAR=${PUREBOOT_E2E_VAR:-$FRONTEND/build-e2e/var}
BASE=${PUREBOOT_E2E_PORT:-18080}
TLS_PORT=${PUREBOOT_E2E_TLS_PORT:-18443}

[ -x "${PUREBOOT_CHROMIUM:-/usr/bin/chromium}" ] || { echo "console e2e: no Chromium at /usr/bin/chromium (deploy/dev/prereqs.sh installs it)" >&2; exit 1; }
[ "$(id -u)" -eq 0 ] || { echo "console e2e: needs root (the agents clone loop-device disks)" >&2; exit 1; }
rpcinfo -T tcp 127.0.0.1 100003 3 >/dev/null 2>&1 || { echo "console e2e: no NFS server on 127.0.0.1 (bash deploy/dev/nfs.sh start)" >&2; exit 1; }
# The agents reach staging as the directory nfs-ganesha exports (as in the demo): this checkout's unless
# PUREBOOT_NFS_EXPORT_DIR names the one of the server running.
# The agent, built by the Maven run before this one; built here when missing.
AGENT_JAR=$ROOT/node-agent/target/node-agent-0.1.0-SNAPSHOT-all.jar
if [ ! -f "$AGENT_JAR" ]; then (cd "$ROOT" && ./mvnw -o -B -q package -DskipTests -pl node-agent -am); fi
source "$ROOT/deploy/dev/lib.sh"
find_jdk
bash "$FRONTEND/build.sh"
(cd "$FRONTEND" && npm test --silent)
if [ "${PUREBOOT_E2E_KEEP_STACK:-0}" != 1 ]; then trap 'bash "$E2E_DIR/stack.sh" stop' EXIT; fi
bash "$E2E_DIR/stack.sh" start
# The committed API types must match what the services document now.
(cd "$FRONTEND" && PUREBOOT_STORAGE_URL=http://127.0.0.1:$((BASE + 1)) PUREBOOT_PLANNER_URL=http://127.0.0.1:$((BASE + 2)) \
  PUREBOOT_CLONE_URL=http://127.0.0.1:$((BASE + 3)) node scripts/generate-api.mjs --check)
PUREBOOT_E2E_ADMIN_KEY=pbk_$(tr -d '/+=\n' < "$PUREBOOT_E2E_VAR/console-e2e-admin-key") \
NODE_EXTRA_CA_CERTS="$PUREBOOT_E2E_VAR/ca/ca.pem" PUREBOOT_E2E_CA="$PUREBOOT_E2E_VAR/ca/ca.pem" \
PUREBOOT_E2E_AGENT_JAR="$AGENT_JAR" PUREBOOT_E2E_JAVA="$JAVA_HOME/bin/java" \
PUREBOOT_E2E_NFS_EXPORT_DIR="${PUREBOOT_NFS_EXPORT_DIR:-$ROOT/.var/nfs/export}" \
PUREBOOT_E2E_PLAIN_URL=http://127.0.0.1:$BASE \
PUREBOOT_E2E_URL=https://127.0.0.1:$TLS_PORT timeout 1500 node "$E2E_DIR/console.e2e.mjs"
