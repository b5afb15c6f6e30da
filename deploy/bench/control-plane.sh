#!/usr/bin/env bash
# The control plane under node progress, measured through the one origin (docs/benchmarks.md#control-plane).
# A command, not a test: it prints figures, it does not judge them.
#
#   ./pureboot bench control-plane            start a stack of its own (deploy/bench ports), measure, stop it
#   PUREBOOT_BENCH_URL=https://127.0.0.1:8443 PUREBOOT_BENCH_ADMIN_KEY=pbk_... ./pureboot bench control-plane
#                                             reuse a running stack (./pureboot up): nothing of it is stopped
#
# As an operator would: an operator and a viewer API key, a source and N target nodes with inventories, a direct
# session, started once the planner's plans reached clone-service; the source's agent's calls (ticket, certificate,
# listening) arm the targets, each target trades its boot ticket for its node token and reports its first progress.
# Then W viewers follow the session's live stream (Server-Sent Events, the JWT in the Authorization header as the
# console sends it), wrk posts progress round-robin with the targets' tokens at full rate for a fixed time, and a
# probe measures how long a report takes to reach the streams. Everything it made is cancelled, retired, revoked.
#
# Settings (environment): PUREBOOT_BENCH_TARGETS (20), PUREBOOT_BENCH_WATCHERS (100), PUREBOOT_BENCH_DURATION
# (30 s), PUREBOOT_BENCH_WARMUP (15 s of the same load first, unmeasured: the JIT compiles the path), PUREBOOT_BENCH_CONNECTIONS (wrk connections, 32), PUREBOOT_BENCH_THREADS (wrk threads, 1),
# PUREBOOT_BENCH_PROBES (20 per phase), PUREBOOT_BENCH_PORT (28080: the stack's plain port; +1..+3 the services,
# PUREBOOT_BENCH_TLS_PORT 28443 the origin), PUREBOOT_BENCH_CA (the origin's CA when reusing a stack),
# PUREBOOT_BENCH_LOAD_URL (where wrk posts; the origin's node API unless set: to profile without the proxy, e.g.
# http://127.0.0.1:28083/api/v1/node/progress, clone-service itself).
set -euo pipefail
BENCH_DIR=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$BENCH_DIR/../.." && pwd)
export PUREBOOT_VAR=${PUREBOOT_BENCH_VAR:-$ROOT/.var/bench}
source "$ROOT/deploy/dev/lib.sh"

TARGETS=${PUREBOOT_BENCH_TARGETS:-20}
WATCHERS=${PUREBOOT_BENCH_WATCHERS:-100}
DURATION=${PUREBOOT_BENCH_DURATION:-30}
CONNECTIONS=${PUREBOOT_BENCH_CONNECTIONS:-32}
THREADS=${PUREBOOT_BENCH_THREADS:-1}
PROBES=${PUREBOOT_BENCH_PROBES:-20}
WARMUP=${PUREBOOT_BENCH_WARMUP:-15}
PORT=${PUREBOOT_BENCH_PORT:-28080}
TLS_PORT=${PUREBOOT_BENCH_TLS_PORT:-28443}
WORK=$(mktemp -d "${TMPDIR:-/tmp}/pureboot-bench.XXXXXX")
RUN=$(date +%H%M%S)-$$
STARTED_STACK=0

for tool in curl jq wrk openssl java; do
  command -v "$tool" >/dev/null || die "$tool is missing (deploy/dev/prereqs.sh installs it)"
done
[ "$TARGETS" -ge 2 ] 2>/dev/null || die "PUREBOOT_BENCH_TARGETS must be 2 or more (one target is the probe's)"

if [ -n "${PUREBOOT_BENCH_URL:-}" ]; then
  ORIGIN=$PUREBOOT_BENCH_URL
  [ -n "${PUREBOOT_BENCH_ADMIN_KEY:-}" ] || die "PUREBOOT_BENCH_URL needs PUREBOOT_BENCH_ADMIN_KEY (an admin API key)"
  ADMIN_KEY=$PUREBOOT_BENCH_ADMIN_KEY
  CA=${PUREBOOT_BENCH_CA:-$ROOT/.var/ca/ca.pem}
  # iPXE's boot scripts are served on the plain port only.
  BOOT=${PUREBOOT_BENCH_BOOT_URL:-http://127.0.0.1:8080}
else
  ORIGIN=https://127.0.0.1:$TLS_PORT
  BOOT=http://127.0.0.1:$PORT
  CA=$PUREBOOT_VAR/ca/ca.pem
  ADMIN_KEY=pbk_$(var_secret console-e2e-admin-key | tr -d '/+=\n')
fi

# ---- the stack ------------------------------------------------------------------------------------------------
stack() {
  PUREBOOT_E2E_VAR=$PUREBOOT_VAR PUREBOOT_E2E_PORT=$PORT PUREBOOT_E2E_TLS_PORT=$TLS_PORT \
    bash "$ROOT/frontend/e2e/stack.sh" "$1"
}

start_stack() {
  find_jdk
  local service
  for service in storage-service resize-planner-service clone-service; do
    [ -f "$ROOT/$service/target/quarkus-app/quarkus-run.jar" ] \
      || die "$service is not built: ./mvnw -B package -DskipTests -pl storage-service,resize-planner-service,clone-service -am"
  done
  bash "$ROOT/deploy/dev/postgres.sh" start >/dev/null
  # Kafka on PUREBOOT_KAFKA_PORT (a worktree sets its own), started here unless one listens there already.
  local kafka_port=${PUREBOOT_KAFKA_PORT:-19092}
  export PUREBOOT_KAFKA_BOOTSTRAP=${PUREBOOT_KAFKA_BOOTSTRAP:-127.0.0.1:$kafka_port}
  if ! port_open 127.0.0.1 "$kafka_port"; then
    STARTED_STACK=1
    PUREBOOT_KAFKA_PORT=$kafka_port bash "$ROOT/deploy/dev/kafka.sh" start
  fi
  STARTED_STACK=1
  stack start
}

stop_stack() {
  stack stop >/dev/null 2>&1 || true
  bash "$ROOT/deploy/dev/kafka.sh" stop >/dev/null 2>&1 || true
}

# ---- the API, as an operator -----------------------------------------------------------------------------------
# api KEY METHOD PATH [BODY]: the answer's body; dies naming the call on an unexpected status.
api() {
  local key=$1 method=$2 path=$3 body=${4:-} answer status
  answer=$(curl -sS --cacert "$CA" -X "$method" ${key:+-H "Authorization: Bearer $key"} \
    -H 'Content-Type: application/json' ${body:+--data "$body"} -w '\n%{http_code}' "$ORIGIN$path") \
    || die "$method $path: no answer"
  status=${answer##*$'\n'}
  case "$status" in
    2??) printf '%s' "${answer%$'\n'*}" ;;
    *) printf '%s' "${answer%$'\n'*}" >&2; return 1 ;;
  esac
}

# node_token MAC: the node token its agent would hold: the boot script's ticket, traded once over HTTPS.
node_token() {
  local script ticket
  script=$(curl -fsS "$BOOT/api/v1/boot/ipxe?mac=$1") || die "no boot script for $1"
  ticket=$(grep -o 'pureboot\.ticket=[^ ]*' <<<"$script" | head -1 | cut -d= -f2)
  [ -n "$ticket" ] || die "no boot ticket for $1: $script"
  api "" POST /api/v1/node/ticket "$(jq -nc --arg t "$ticket" '{ticket: $t}')" | jq -r .token
}

progress_body() { jq -nc --arg p "$1" --argjson d "$2" '{phase: $p, bytes_done: $d, bytes_total: 1099511627776, rate_bytes_per_second: 1000}'; }

SESSION_ID="" NODES=() KEYS=()
cleanup() {
  local status=$? node key
  set +e
  if [ -n "$SESSION_ID" ]; then
    api "$ADMIN_KEY" POST "/api/v1/clone-sessions/$SESSION_ID/cancel" '{"reason":"benchmark finished"}' >/dev/null 2>&1
  fi
  for node in "${NODES[@]}"; do api "$ADMIN_KEY" DELETE "/api/v1/nodes/$node" >/dev/null 2>&1; done
  for key in "${KEYS[@]}"; do api "$ADMIN_KEY" DELETE "/api/v1/api-keys/$key" >/dev/null 2>&1; done
  [ "$STARTED_STACK" = 1 ] && stop_stack
  rm -rf "$WORK"
  exit $status
}
trap cleanup EXIT
trap 'exit 130' INT TERM

if [ -z "${PUREBOOT_BENCH_URL:-}" ]; then
  log "starting a stack of its own: origin $ORIGIN, database ${PUREBOOT_DB_NAME:-pureboot}, Kafka ${PUREBOOT_KAFKA_PORT:-19092}"
  start_stack
fi

inventory() { # HOSTNAME DISK-ID BYTES PARTITIONS-JSON
  jq -nc --arg h "$1" --arg d "$2" --argjson s "$3" --argjson p "$4" '{hostname: $h, disks: [{stable_id: $d,
    device_path: "/dev/vda", serial: ("S" + $d), model: "bench", size_bytes: $s, logical_sector_size: 512,
    physical_sector_size: 512, table_type: (if ($p | length) > 0 then "gpt" else "none" end), partitions: $p}]}'
}
GIB=1073741824 MIB=1048576
SOURCE_PARTITIONS=$(jq -nc --argjson g $GIB --argjson m $MIB '[
  {number: 1, start_bytes: $m, size_bytes: (512 * $m), type_id: "c12a7328-f81f-11d2-ba4b-00a0c93ec93b",
   filesystem: "vfat", used_bytes: (40 * $m), can_shrink: false, can_grow: false, logical: false},
  {number: 2, start_bytes: (513 * $m), size_bytes: (8 * $g - 514 * $m - 65536), type_id: "0fc63daf-8483-4772-8e79-3d69d8477de4",
   filesystem: "ext4", used_bytes: (2 * $g), minimum_size_bytes: (1536 * $m), can_shrink: true, can_grow: true, logical: false}]')

log "as an operator: API keys, $((TARGETS + 1)) nodes with inventories, a direct session"
OPERATOR_KEY=$(api "$ADMIN_KEY" POST /api/v1/api-keys "{\"name\":\"bench-operator-$RUN\",\"role\":\"operator\"}" | jq -r .key)
KEYS+=("bench-operator-$RUN")
VIEWER_KEY=$(api "$ADMIN_KEY" POST /api/v1/api-keys "{\"name\":\"bench-viewer-$RUN\",\"role\":\"viewer\"}" | jq -r .key)
KEYS+=("bench-viewer-$RUN")
# The console signs in with the key and sends the JWT it is exchanged for; so do the watchers.
VIEWER_JWT=$(api "$VIEWER_KEY" POST /api/v1/auth/token '{}' | jq -r .access_token)

mac() { printf '52:54:0b:%02x:%02x:%02x' $((RANDOM % 256)) $(($1 / 256 % 256)) $(($1 % 256)); }
SOURCE_MAC=$(mac 0)
SOURCE=$(api "$OPERATOR_KEY" POST /api/v1/nodes "{\"mac\":\"$SOURCE_MAC\",\"name\":\"bench-source-$RUN\"}" | jq -r .id)
NODES+=("$SOURCE")
api "$OPERATOR_KEY" PUT "/api/v1/nodes/$SOURCE/inventory" "$(inventory source "bench-src-$RUN" $((8 * GIB)) "$SOURCE_PARTITIONS")" >/dev/null
TARGET_MACS=() TARGET_LIST=()
for i in $(seq 1 "$TARGETS"); do
  TARGET_MACS+=("$(mac "$i")")
  node=$(api "$OPERATOR_KEY" POST /api/v1/nodes "{\"mac\":\"${TARGET_MACS[-1]}\",\"name\":\"bench-target-$i-$RUN\"}" | jq -r .id)
  NODES+=("$node")
  api "$OPERATOR_KEY" PUT "/api/v1/nodes/$node/inventory" "$(inventory "t$i" "bench-t$i-$RUN" $((16 * GIB)) '[]')" >/dev/null
  TARGET_LIST+=("$(jq -nc --arg n "$node" --arg d "bench-t$i-$RUN" '{node_id: $n, disk_id: $d}')")
done
SESSION_ID=$(api "$OPERATOR_KEY" POST /api/v1/clone-sessions "$(jq -nc --arg s "$SOURCE" --arg d "bench-src-$RUN" \
  --argjson t "$(printf '%s\n' "${TARGET_LIST[@]}" | jq -sc .)" \
  '{name: "bench control plane", clone_mode: "direct", source_node_id: $s, source_disk_id: $d,
    resize_mode: "grow_target", targets: $t}')" | jq -r .id)
log "session $SESSION_ID: waiting for the planner's plans, then starting it"
deadline=$((SECONDS + 120))
until api "$OPERATOR_KEY" POST "/api/v1/clone-sessions/$SESSION_ID/start" >/dev/null 2>"$WORK/start.err"; do
  [ $SECONDS -lt $deadline ] || die "the session did not start in 120 s: $(cat "$WORK/start.err")"
  sleep 1
done

log "the source's agent: ticket, certificate, listening; the targets are armed"
SOURCE_TOKEN=$(node_token "$SOURCE_MAC")
openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -subj /CN=node \
  -keyout "$WORK/source.key" -out "$WORK/source.csr" 2>/dev/null
api "$SOURCE_TOKEN" POST /api/v1/node/direct/certificate \
  "$(jq -nc --rawfile c "$WORK/source.csr" '{address: "10.77.0.1", csr_pem: $c}')" >/dev/null
api "$SOURCE_TOKEN" POST /api/v1/node/direct/listening '{"address":"10.77.0.1","port":7443}' >/dev/null
api "$SOURCE_TOKEN" POST /api/v1/node/progress "$(progress_body uploading 1)" >/dev/null

log "each target's agent: its node token and its first progress report"
: > "$WORK/tokens"
for i in "${!TARGET_MACS[@]}"; do
  deadline=$((SECONDS + 60))
  until curl -fsS "$BOOT/api/v1/boot/ipxe?mac=${TARGET_MACS[$i]}" | grep -q clone-target-direct; do
    [ $SECONDS -lt $deadline ] || die "target $((i + 1)) was not armed in 60 s"
    sleep 0.5
  done
  token=$(node_token "${TARGET_MACS[$i]}")
  api "$token" POST /api/v1/node/progress "$(progress_body downloading 1)" >/dev/null
  # The last target armed is the probe's: the shortest silence before its first probe (the silence deadline, 2 min).
  if [ "$i" -eq $((TARGETS - 1)) ]; then PROBE_TOKEN=$token; else echo "$token downloading" >> "$WORK/tokens"; fi
done
# The source reports too, as a serving source does: otherwise its silence fails the session after 2 minutes.
echo "$SOURCE_TOKEN uploading" >> "$WORK/tokens"
deadline=$((SECONDS + 30))
until [ "$(api "$OPERATOR_KEY" GET "/api/v1/clone-sessions/$SESSION_ID" | jq -r .state)" = downloading ]; do
  [ $SECONDS -lt $deadline ] || die "the session did not reach downloading in 30 s"
  sleep 0.5
done
log "session $SESSION_ID downloading: the source and $((TARGETS - 1)) targets driven by wrk, one target by the probe"

# CPU per report of the processes this machine runs for the stack, when their pids are known (a stack of its own).
cpu_pids() {
  local name pid spec=""
  for name in clone-service proxy; do
    [ -f "$PUREBOOT_VAR/$name.pid" ] || continue
    pid=$(cat "$PUREBOOT_VAR/$name.pid")
    kill -0 "$pid" 2>/dev/null || continue
    spec+="${spec:+,}$name:$pid$(pgrep -P "$pid" | sed 's/^/+/' | tr -d '\n')"
  done
  printf '%s' "$spec"
}

cd "$WORK"
export WORK THREADS CONNECTIONS BENCH_DIR ORIGIN PUREBOOT_BENCH_LOAD_URL
load_command() {
  env BENCH_TOKENS="$WORK/tokens" wrk --latency -t"$THREADS" -c"$CONNECTIONS" -d"${1}s" \
    -s "$BENCH_DIR/progress.lua" "${PUREBOOT_BENCH_LOAD_URL:-$ORIGIN/api/v1/node/progress}"
}
if [ "$WARMUP" -gt 0 ]; then
  log "warming up: ${WARMUP} s of the same load, not measured"
  load_command "$WARMUP" >/dev/null
fi
java "$BENCH_DIR/LiveProgressProbe.java" \
  --origin "$ORIGIN" --ca "$CA" --session "$SESSION_ID" --viewer-token "$VIEWER_JWT" --probe-token "$PROBE_TOKEN" \
  --watchers "$WATCHERS" --probes "$PROBES" --targets "$TARGETS" --connections "$CONNECTIONS" --duration "$DURATION" \
  --cpu "$(cpu_pids)" -- bash -c "$(declare -f load_command); load_command $DURATION"
