#!/usr/bin/env bash
# The stack the console's end-to-end test runs against: the three services from this checkout's
# built jars and the one-origin proxy serving frontend/dist, on ports of their own
# (PUREBOOT_E2E_PORT, default 18080 for the proxy's plain port, +1..+3 for storage, planner, clone;
# PUREBOOT_E2E_TLS_PORT, default 18443, for its HTTPS port with the development CA in $PUREBOOT_E2E_VAR/ca) so that a
# running ./pureboot up is not disturbed. PostgreSQL (database PUREBOOT_DB_NAME, default pureboot_e2e, of
# deploy/dev/postgres.sh's shape), Kafka (PUREBOOT_KAFKA_BOOTSTRAP) and nfs-ganesha are the shared local stack's.
# Nodes boot as on a real network: iPXE scripts on the plain port, agents calling the HTTPS port with the
# development CA. Pids and logs live in $PUREBOOT_E2E_VAR (default frontend/build-e2e/var).
# Usage: stack.sh start|stop
set -euo pipefail
E2E_DIR=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$E2E_DIR/../.." && pwd)
export PUREBOOT_VAR=${PUREBOOT_E2E_VAR:-$ROOT/frontend/build-e2e/var}
source "$ROOT/deploy/dev/lib.sh"

BASE=${PUREBOOT_E2E_PORT:-18080}
# The proxy's HTTPS port (the console and the API live there; the plain BASE keeps only iPXE's paths).
export PUREBOOT_TLS_PORT=${PUREBOOT_E2E_TLS_PORT:-18443}
export PUREBOOT_PORT=$BASE PUREBOOT_STORAGE_PORT=$((BASE + 1)) PUREBOOT_PLANNER_PORT=$((BASE + 2)) PUREBOOT_CLONE_PORT=$((BASE + 3))
export PUREBOOT_STORAGE_URL=http://127.0.0.1:$PUREBOOT_STORAGE_PORT
export PUREBOOT_AUTH_ISSUER_URL=http://127.0.0.1:$PUREBOOT_CLONE_PORT
# Own consumer groups: the e2e services see every event without taking any from a running stack's.
export PUREBOOT_KAFKA_GROUP_SUFFIX=-console-e2e
export PUREBOOT_WORKFLOWS=$ROOT/workflows
# The services read the database name from PUREBOOT_DB_NAME (platform's configuration); a checkout beside another
# (a worktree) sets its own so that migrations of different branches never meet.
export PUREBOOT_DB_NAME=${PUREBOOT_DB_NAME:-pureboot_e2e}
# What the boot scripts tell nodes: iPXE fetches from the plain port, the agent calls the HTTPS one (pureboot.server).
export PUREBOOT_PUBLIC_URL=http://127.0.0.1:$BASE PUREBOOT_BOOT_FILES_URL=http://127.0.0.1:$BASE/boot
export PUREBOOT_AGENT_URL=https://127.0.0.1:$PUREBOOT_TLS_PORT
SERVICES=(storage-service:$PUREBOOT_STORAGE_PORT resize-planner-service:$PUREBOOT_PLANNER_PORT clone-service:$PUREBOOT_CLONE_PORT)

start() {
  find_jdk
  PUREBOOT_INTERNAL_TOKEN=$(var_secret internal-token | tr -d '/+=\n')
  PUREBOOT_STORAGE_SECRET_KEY=$(var_secret storage-secret-key)
  # Kept in the machine's cache, not the checkout: clone-service seals the direct CA it keeps in the database with
  # it (the swarm's targets ask for session certificates), so every checkout on this machine, CI's fresh clones
  # included, must bring the same key to the shared e2e database; the dev stack's database is left alone.
  PUREBOOT_CLONE_SECRET_KEY=$(PUREBOOT_VAR=$PUREBOOT_CACHE var_secret e2e-clone-secret-key)
  # The test's admin key, registered by clone-service at start when missing.
  PUREBOOT_BOOTSTRAP_ADMIN_KEY=pbk_$(var_secret console-e2e-admin-key | tr -d '/+=\n')
  export PUREBOOT_INTERNAL_TOKEN PUREBOOT_STORAGE_SECRET_KEY PUREBOOT_CLONE_SECRET_KEY PUREBOOT_BOOTSTRAP_ADMIN_KEY
  export PUREBOOT_ADMIN_KEY_FILE=$PUREBOOT_VAR/admin-api-key
  local entry name port
  for entry in "${SERVICES[@]}"; do
    name=${entry%%:*}
    [ -f "$ROOT/$name/target/quarkus-app/quarkus-run.jar" ] || die "$name is not built (./mvnw -B package -DskipTests -pl $name -am)"
    start_daemon "$name" java -Xms64m -Xmx384m -Dpureboot.kafka.group-suffix=$PUREBOOT_KAFKA_GROUP_SUFFIX \
      -jar "$ROOT/$name/target/quarkus-app/quarkus-run.jar"
  done
  for entry in "${SERVICES[@]}"; do
    name=${entry%%:*} port=${entry##*:}
    wait_until 180 "$name on :$port" curl -fsS "http://127.0.0.1:$port/q/health/ready" \
      || die "$name did not become ready; see $PUREBOOT_LOGS/$name.log"
  done
  log "e2e stack: database $PUREBOOT_DB_NAME, proxy http://127.0.0.1:$BASE and https://127.0.0.1:$PUREBOOT_TLS_PORT"
  PUREBOOT_CONSOLE_DIST=$ROOT/frontend/dist bash "$ROOT/deploy/dev/proxy.sh" start
}

stop() {
  bash "$ROOT/deploy/dev/proxy.sh" stop || true
  local entry
  for entry in "${SERVICES[@]}"; do stop_daemon "${entry%%:*}"; done
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  *) die "usage: stack.sh start|stop" ;;
esac
