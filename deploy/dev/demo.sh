#!/usr/bin/env bash
# ./pureboot demo: a full staged clone on this machine, as root, with loop-device disks and the real
# node agent (--vm: with VMs for nodes, see vm_demo). Starts what is missing of the stack (PostgreSQL, Kafka, nfs-ganesha, the three services),
# registers an NFS backend on the nfs-ganesha export, creates a GPT source disk (ESP + ext4 with real
# files + swap) and two empty targets (about 60 % and 150 % of its size), runs a staged session with
# shrink_source and prints each phase with its progress from the session's SSE stream, as the console
# sees it. Everything it creates it removes again (trap), and it stops only what it started.
# Settings: PUREBOOT_DEMO_PORTS="storage planner clone" (default "18081 18082 18083": beside a
# running ./pureboot up), PUREBOOT_DEMO_KEEP=1 keeps the disk images and logs in .var/demo.
# docs/demo.md describes it.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/progress.sh"
source "$(dirname "$0")/source-disk.sh"
cd "$PUREBOOT_ROOT"

exec 3>&2  # the demo's own error channel, also inside waits that silence their command
[ "$(id -u)" -eq 0 ] || die "the demo needs root (loop devices, mounts)"
for tool in losetup sgdisk partx mkfs.vfat mcopy mkfs.ext4 mkswap e2fsck fsck.fat curl jq sha256sum; do
  command -v "$tool" >/dev/null || die "$tool is missing (bash deploy/dev/prereqs.sh installs the tools)"
done
AGENT_JAR=node-agent/target/node-agent-0.1.0-SNAPSHOT-all.jar
PUREBOOT_CA_FILE=$( [ -s "$PUREBOOT_VAR/ca/ca.pem" ] && echo "$PUREBOOT_VAR/ca/ca.pem" || true)
# Builds what is missing (right after ./pureboot up the agent is not built yet), with the JDK find_jdk chose.
for jar in $AGENT_JAR storage-service/target/quarkus-app/quarkus-run.jar \
    resize-planner-service/target/quarkus-app/quarkus-run.jar clone-service/target/quarkus-app/quarkus-run.jar; do
  [ -f "$jar" ] && continue
  find_jdk
  log "building the agent and the services (log: $PUREBOOT_LOGS/demo-build.log)"
  ./mvnw -B -q package -DskipTests -pl node-agent,storage-service,resize-planner-service,clone-service -am \
    > "$PUREBOOT_LOGS/demo-build.log" 2>&1 || die "the build failed; see $PUREBOOT_LOGS/demo-build.log"
  break
done

# ./pureboot demo --vm [staged-nfs|staged-iscsi|direct]: the same clone with qemu VMs for nodes, each a real iPXE boot
# of the boot image (deploy/boot-image/vm-test.sh's scenario of that name, default staged-nfs), its progress printed
# as below. It starts what is missing of PostgreSQL, Kafka and the staging server, and stops only what it started.
vm_demo() {
  local scenario=${1:-staged-nfs} server= started=() status=0 name
  case $scenario in
    staged-nfs) server=nfs ;;
    staged-iscsi) server=iscsi ;;
    direct) ;;
    *) die "usage: ./pureboot demo --vm [staged-nfs|staged-iscsi|direct]" ;;
  esac
  bash deploy/dev/postgres.sh start >/dev/null
  if ! port_open 127.0.0.1 "${PUREBOOT_KAFKA_PORT:-19092}"; then
    bash deploy/dev/kafka.sh start >/dev/null
    started+=(kafka)
  fi
  if [ -n "$server" ] && ! bash "deploy/dev/$server.sh" status >/dev/null 2>&1; then
    bash "deploy/dev/$server.sh" start >/dev/null
    started+=("$server")
  fi
  log "demo with VMs: vm-test.sh $scenario (TCG: about 8 minutes on 2 cores)"
  PUREBOOT_VM_PROGRESS=1 bash deploy/boot-image/vm-test.sh "$scenario" || status=$?
  for name in "${started[@]}"; do bash "deploy/dev/$name.sh" stop >/dev/null 2>&1 || true; done
  exit "$status"
}
if [ "${1:-}" = --vm ]; then
  vm_demo "${@:2}"
fi
[ $# -eq 0 ] || die "usage: ./pureboot demo [--vm [staged-nfs|staged-iscsi|direct]]"

read -r STORAGE_PORT PLANNER_PORT CLONE_PORT <<<"${PUREBOOT_DEMO_PORTS:-18081 18082 18083}"
STORAGE=http://127.0.0.1:$STORAGE_PORT PLANNER=http://127.0.0.1:$PLANNER_PORT CLONE=http://127.0.0.1:$CLONE_PORT
MIB=$((1 << 20))
SOURCE_BYTES=$((2048 * MIB))
RUN=$(date +%Y%m%d-%H%M%S)
WORK=$PUREBOOT_VAR/demo/$RUN
EXPORT_DIR=$PUREBOOT_VAR/nfs/export
MNT=$WORK/mnt
mkdir -p "$WORK" "$MNT"
ADMIN_KEY=pbk_demo-$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')
INTERNAL_TOKEN=$(head -c 24 /dev/urandom | base64 | tr -d '/+=\n')

STARTED_SERVICES=() LOOPS=() MOUNTS=("$MNT") SSE_PID= STARTED_NFS=0 STARTED_KAFKA=0 SESSION_ID= BACKEND_ID=

say() { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*"; }

cleanup() {
  local status=$? loop mount service
  trap - EXIT INT TERM
  stop_following "$SSE_PID"
  for mount in "${MOUNTS[@]}"; do umount "$mount" 2>/dev/null || true; rmdir "$mount" 2>/dev/null || true; done
  if [ -n "$SESSION_ID" ]; then
    # An unfinished session is cancelled, which cleans its staging up; an ended one is deleted.
    api_admin POST "/api/v1/clone-sessions/$SESSION_ID/cancel" '{"reason":"demo ended"}' >/dev/null 2>&1 || true
    wait_until 60 "staging of $SESSION_ID removed" staging_gone >/dev/null || true
    api_admin DELETE "/api/v1/clone-sessions/$SESSION_ID" >/dev/null 2>&1 || true
  fi
  if [ -n "$BACKEND_ID" ]; then
    curl -fsS -X DELETE -H "Authorization: Bearer $ADMIN_KEY" "$STORAGE/api/v1/storage-backends/$BACKEND_ID" >/dev/null 2>&1 || true
  fi
  for loop in "${LOOPS[@]}"; do losetup -d "$loop" 2>/dev/null || true; done
  rm -f "$WORK"/*.img
  for service in "${STARTED_SERVICES[@]}"; do stop_daemon "$service" >/dev/null; done
  [ "$STARTED_NFS" = 1 ] && bash deploy/dev/nfs.sh stop >/dev/null 2>&1 || true
  [ "$STARTED_KAFKA" = 1 ] && bash deploy/dev/kafka.sh stop >/dev/null 2>&1 || true
  if [ "${PUREBOOT_DEMO_KEEP:-0}" != 1 ] && [ "$status" -eq 0 ]; then rm -rf "$WORK"; fi
  [ "$status" -eq 0 ] || printf 'pureboot demo: failed (exit %s); logs in %s and %s\n' "$status" "$WORK" "$PUREBOOT_LOGS" >&2
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

api_admin() { # METHOD PATH [BODY]
  curl -sS -X "$1" -H "Authorization: Bearer $ADMIN_KEY" -H 'Content-Type: application/json' \
    ${3:+--data "$3"} -w '\n%{http_code}' "$CLONE$2"
}
# Answers the body of a call that must answer STATUS, else dies with the answer.
expect() { # STATUS METHOD URL [BODY]
  local answer
  answer=$(curl -sS -X "$2" -H "Authorization: Bearer $ADMIN_KEY" -H 'Content-Type: application/json' \
    ${4:+--data "$4"} -w '\n%{http_code}' "$3")
  [ "${answer##*$'\n'}" = "$1" ] || die "$2 $3 answered ${answer##*$'\n'}: ${answer%$'\n'*}"
  printf '%s' "${answer%$'\n'*}"
}
# Repeats a call until it answers STATUS (events take a moment to reach the other services).
expect_soon() { # STATUS METHOD URL [BODY]
  local deadline=$((SECONDS + 60)) answer
  while :; do
    answer=$(curl -sS -X "$2" -H "Authorization: Bearer $ADMIN_KEY" -H 'Content-Type: application/json' \
      ${4:+--data "$4"} -w '\n%{http_code}' "$3")
    [ "${answer##*$'\n'}" = "$1" ] && { printf '%s' "${answer%$'\n'*}"; return 0; }
    [ $SECONDS -lt $deadline ] || die "$2 $3 answered ${answer##*$'\n'}: ${answer%$'\n'*}"
    sleep 0.5
  done
}
session_field() { expect 200 GET "$CLONE/api/v1/clone-sessions/$SESSION_ID" | jq -r "$1"; }
staging_gone() { [ ! -e "$EXPORT_DIR/pureboot-staging/$SESSION_ID" ]; }
await_session() { # JQ-CONDITION SECONDS WHAT
  local deadline=$((SECONDS + $2))
  until [ "$(session_field "$1")" = true ]; do
    [ "$(session_field .state)" != failed ] || die "session failed: $(session_field .failure_reason)"
    [ $SECONDS -lt $deadline ] || die "$3 did not happen within $2 s (state $(session_field .state))"
    sleep 0.5
  done
}

# ---- the stack -------------------------------------------------------------------------------------
# Ready, or fails the wait at once when the process is gone.
service_up() { # NAME PORT
  kill -0 "$(cat "$PUREBOOT_VAR/demo-$1.pid")" 2>/dev/null \
    || { printf 'pureboot: %s exited; see %s\n' "$1" "$PUREBOOT_LOGS/demo-$1.log" >&3; exit 1; }
  curl -fsS "http://127.0.0.1:$2/q/health/ready" >/dev/null
}

start_stack() {
  say "stack: PostgreSQL, Kafka, nfs-ganesha"
  bash deploy/dev/postgres.sh start >/dev/null
  if ! port_open 127.0.0.1 19092; then
    bash deploy/dev/kafka.sh start >/dev/null
    STARTED_KAFKA=1
  fi
  if ! bash deploy/dev/nfs.sh status >/dev/null 2>&1; then
    bash deploy/dev/nfs.sh start >/dev/null
    STARTED_NFS=1
  fi
  local entry name port key clone_key groups
  key=$(head -c 32 /dev/urandom | base64)
  clone_key=$(var_secret clone-secret-key)
  for entry in storage-service:$STORAGE_PORT resize-planner-service:$PLANNER_PORT clone-service:$CLONE_PORT; do
    name=${entry%%:*} port=${entry##*:}
    port_open 127.0.0.1 "$port" && die "port $port is taken; choose others with PUREBOOT_DEMO_PORTS=\"storage planner clone\""
    # The demo's services join consumer groups of their own, new for each run and starting at the end
    # of the topics: a stack running beside them (./pureboot up) and the demo never take each other's
    # events, and the demo does not replay what other runs and tests published before it.
    case $name in
      storage-service) groups=(MP_MESSAGING_INCOMING_CLONE_SESSIONS_GROUP_ID=storage-service-demo-$RUN
                               MP_MESSAGING_INCOMING_CLONE_SESSIONS_AUTO_OFFSET_RESET=latest) ;;
      resize-planner-service) groups=(MP_MESSAGING_INCOMING_CLONE_SESSIONS_GROUP_ID=resize-planner-service-demo-$RUN
                                      MP_MESSAGING_INCOMING_CLONE_SESSIONS_AUTO_OFFSET_RESET=latest
                                      MP_MESSAGING_INCOMING_NODE_INVENTORY_GROUP_ID=resize-planner-service-demo-$RUN
                                      MP_MESSAGING_INCOMING_NODE_INVENTORY_AUTO_OFFSET_RESET=latest) ;;
      *) groups=(MP_MESSAGING_INCOMING_ORCHESTRATION_GROUP_ID=clone-service-demo-$RUN
                 MP_MESSAGING_INCOMING_ORCHESTRATION_AUTO_OFFSET_RESET=latest
                 MP_MESSAGING_INCOMING_AUDIT_GROUP_ID=clone-service-audit-demo-$RUN
                 MP_MESSAGING_INCOMING_AUDIT_AUTO_OFFSET_RESET=latest) ;;
    esac
    start_daemon "demo-$name" env PUREBOOT_STORAGE_SECRET_KEY="$key" PUREBOOT_CLONE_SECRET_KEY="$clone_key" \
      PUREBOOT_INTERNAL_TOKEN="$INTERNAL_TOKEN" PUREBOOT_AUTH_ISSUER_URL="$CLONE" \
      PUREBOOT_BOOTSTRAP_ADMIN_KEY="$ADMIN_KEY" PUREBOOT_ADMIN_KEY_FILE="$WORK/generated-admin-key" \
      PUREBOOT_STORAGE_URL="$STORAGE" PUREBOOT_PUBLIC_URL="$CLONE" "${groups[@]}" \
      java -Xms64m -Xmx384m -Dquarkus.http.port="$port" -jar "$name/target/quarkus-app/quarkus-run.jar"
    STARTED_SERVICES+=("demo-$name")
  done
  for entry in storage-service:$STORAGE_PORT resize-planner-service:$PLANNER_PORT clone-service:$CLONE_PORT; do
    name=${entry%%:*} port=${entry##*:}
    wait_until 150 "$name on :$port" service_up "$name" "$port" >/dev/null \
      || die "$name did not become ready; see $PUREBOOT_LOGS/demo-$name.log"
  done
  say "stack: storage $STORAGE, planner $PLANNER, clone $CLONE (logs $PUREBOOT_LOGS/demo-*.log)"
}

# ---- disks -----------------------------------------------------------------------------------------
new_disk() { # FILE BYTES -> prints the loop device
  truncate -s "$(( $2 / MIB * MIB ))" "$1"
  losetup -f --show -P "$1"
}

tree_of() { # PARTITION -> sorted listing and SHA-256 of every file of an ext4 partition (read-only)
  mount -o ro,noload "$1" "$MNT"
  (cd "$MNT" && find . -printf '%y %m %s %l %p\n' | LC_ALL=C sort && find . -type f -print0 | LC_ALL=C sort -z | xargs -0 sha256sum)
  umount "$MNT"
}

# ---- nodes and agents ------------------------------------------------------------------------------
register_node() { # NAME -> node id
  local mac
  mac=$(printf '52:54:00:%02x:%02x:%02x' $((RANDOM % 256)) $((RANDOM % 256)) $((RANDOM % 256)))
  expect 201 POST "$CLONE/api/v1/nodes" "{\"mac\":\"$mac\",\"name\":\"demo-$1-$RUN\"}" | jq -r .id
}

# Boots a node as PXE would: fetches its iPXE script, writes the kernel line to a file the agent reads
# as /proc/cmdline, and runs the agent with staging pre-mounted (the export's own directory).
boot_agent() { # NODE-ID NAME [agent options...]
  local node=$1 name=$2 mac script cmdline mode
  shift 2
  mac=$(expect 200 GET "$CLONE/api/v1/nodes/$node" | jq -r .mac)
  script=$(curl -fsS "$CLONE/api/v1/boot/ipxe?mac=$mac")
  cmdline=$(grep -m1 '^kernel ' <<<"$script") || die "no kernel line for $name: $script"
  printf '%s\n' "$cmdline" > "$WORK/$name.cmdline"
  mode=$(grep -o 'pureboot\.mode=[^ ]*' <<<"$cmdline" | cut -d= -f2)
  # An https pureboot.server (./pureboot up) is trusted through the development CA only.
  java -Xmx512m -jar "$AGENT_JAR" "$mode" --cmdline "$WORK/$name.cmdline" \
    ${PUREBOOT_CA_FILE:+--ca "$PUREBOOT_CA_FILE"} --token-dir "$WORK/tokens" "$@" > "$WORK/$name.log" 2>&1
}

inventory() { # NODE-ID NAME DISK-ID DISK-BYTES
  expect 200 POST "$CLONE/api/v1/nodes/$1/request-inventory" >/dev/null
  boot_agent "$1" "$2-inventory" --disk "$3" || die "inventory agent of $2 failed: $(tail -3 "$WORK/$2-inventory.log")"
  local deadline=$((SECONDS + 60))
  until [ "$(curl -fsS -H "Authorization: Bearer $ADMIN_KEY" "$PLANNER/api/v1/inventories/$1" 2>/dev/null | jq -r '.disks[0].size_bytes')" = "$4" ]; do
    [ $SECONDS -lt $deadline ] || die "the planner did not receive the inventory of $2"
    sleep 0.5
  done
  say "node $2: inventory reported by its agent ($(human "$4"), disk $3)"
}

human() { numfmt --to=iec-i --suffix=B --format='%.1f' "$1"; }

# ---- the demo --------------------------------------------------------------------------------------
START=$SECONDS
say "PureBoot Clone demo: staged clone, one source to two targets of different sizes"
start_stack

say "disks: creating loop devices in $WORK"
SOURCE_DEV=$(new_disk "$WORK/source.img" $SOURCE_BYTES); LOOPS+=("$SOURCE_DEV")
SMALL_DEV=$(new_disk "$WORK/small.img" $((SOURCE_BYTES * 6 / 10))); LOOPS+=("$SMALL_DEV")
LARGE_DEV=$(new_disk "$WORK/large.img" $((SOURCE_BYTES * 3 / 2))); LOOPS+=("$LARGE_DEV")
make_source_disk "$SOURCE_DEV" 64 256 16 usr/share/doc usr/lib/python3.11
SOURCE_TREE=$(tree_of "${SOURCE_DEV}p2")
say "disks: source $SOURCE_DEV $(human $SOURCE_BYTES) (GPT: ESP, ext4 root with $(grep -c '^f ' <<<"$SOURCE_TREE") files, swap)," \
  "small $SMALL_DEV $(human $((SOURCE_BYTES * 6 / 10 / MIB * MIB))), large $LARGE_DEV $(human $((SOURCE_BYTES * 3 / 2)))"

BACKEND_ID=$(expect 201 POST "$STORAGE/api/v1/storage-backends" \
  "{\"name\":\"demo-nfs-$RUN\",\"backend_type\":\"nfs\",\"nfs_server\":\"127.0.0.1\",\"nfs_export\":\"/pureboot\"}" | jq -r .id)
say "storage: NFS backend $BACKEND_ID on 127.0.0.1:/pureboot ($EXPORT_DIR)"

SOURCE_NODE=$(register_node source) SMALL_NODE=$(register_node small) LARGE_NODE=$(register_node large)
inventory "$SOURCE_NODE" source "loop:$WORK/source.img" $SOURCE_BYTES
inventory "$SMALL_NODE" small "loop:$WORK/small.img" $((SOURCE_BYTES * 6 / 10 / MIB * MIB))
inventory "$LARGE_NODE" large "loop:$WORK/large.img" $((SOURCE_BYTES * 3 / 2))

SESSION_ID=$(expect_soon 201 POST "$CLONE/api/v1/clone-sessions" "$(jq -nc --arg s "$SOURCE_NODE" --arg b "$BACKEND_ID" \
  --arg sd "loop:$WORK/source.img" --arg t1 "$SMALL_NODE" --arg d1 "loop:$WORK/small.img" \
  --arg t2 "$LARGE_NODE" --arg d2 "loop:$WORK/large.img" --arg name "demo $RUN" \
  '{name: $name, clone_mode: "staged", source_node_id: $s, source_disk_id: $sd, staging_backend_id: $b,
    resize_mode: "shrink_source", targets: [{node_id: $t1, disk_id: $d1}, {node_id: $t2, disk_id: $d2}]}')" | jq -r .id)
say "session $SESSION_ID created (staged, shrink_source, 2 targets)"
say "watch it in the console: https://127.0.0.1:${PUREBOOT_TLS_PORT:-8443}/sessions/$SESSION_ID (sign in with the admin API key)"

ANALYSIS=$(expect_soon 200 POST "$PLANNER/api/v1/clone-sessions/$SESSION_ID/analyze")
jq -r --arg small "$SMALL_NODE" '.plans[] | (if .target_node_id == $small then "small" else "large" end) as $who
  | "plan for \($who) (\(.target_disk_bytes / 1048576 | floor) MiB, feasible \(.feasible)): "
    + ([.partitions[] | "p\(.partition) \(.filesystem // "raw") \(.action) \(.new_size_bytes / 1048576 | floor) MiB"] | join(", "))' \
  <<<"$ANALYSIS" | while IFS= read -r line; do say "$line"; done

follow_progress "$CLONE/api/v1/clone-sessions/$SESSION_ID/progress" \
  "$(jq -nc --arg small "$SMALL_NODE" --arg large "$LARGE_NODE" '{($small): "small", ($large): "large"}')" \
  -H "Authorization: Bearer $ADMIN_KEY" &
SSE_PID=$!
sleep 1
expect 200 POST "$CLONE/api/v1/clone-sessions/$SESSION_ID/start" >/dev/null
await_session '.state == "source_armed"' 120 "staging provisioning"
[ -d "$EXPORT_DIR/pureboot-staging/$SESSION_ID" ] && say "staging: $EXPORT_DIR/pureboot-staging/$SESSION_ID created over NFS"

say "source: booting its agent (clone-source-staged)"
boot_agent "$SOURCE_NODE" source --staging-dir "$EXPORT_DIR" --state-dir "$WORK/source-state" \
  || die "source agent failed: $(tail -3 "$WORK/source.log")"
await_session '[.targets[].state] | all(. == "armed")' 60 "arming the targets"
say "targets: booting both agents (clone-target-staged)"
boot_agent "$SMALL_NODE" small --staging-dir "$EXPORT_DIR" --state-dir "$WORK/small-state" & SMALL_PID=$!
boot_agent "$LARGE_NODE" large --staging-dir "$EXPORT_DIR" --state-dir "$WORK/large-state" & LARGE_PID=$!
wait "$SMALL_PID" || die "small target agent failed: $(tail -3 "$WORK/small.log")"
wait "$LARGE_PID" || die "large target agent failed: $(tail -3 "$WORK/large.log")"
await_session '.phase == "done"' 120 "cleanup"
sleep 1
stop_following "$SSE_PID"; SSE_PID=
staging_gone && say "staging: $EXPORT_DIR/pureboot-staging/$SESSION_ID removed"

for target in small:$SMALL_DEV large:$LARGE_DEV; do
  dev=${target#*:}
  e2fsck -fn "${dev}p2" >/dev/null 2>&1 || die "${target%%:*}: e2fsck found problems"
  fsck.fat -n "${dev}p1" >/dev/null || die "${target%%:*}: fsck.fat found problems"
  [ "$(tree_of "${dev}p2")" = "$SOURCE_TREE" ] || die "${target%%:*}: the files differ from the source's"
  say "${target%%:*}: fsck clean, $(grep -c '^f ' <<<"$SOURCE_TREE") files identical to the source's (SHA-256)," \
    "root $(human "$(blockdev --getsize64 "${dev}p2")")"
done
say "audit: $(expect 200 GET "$CLONE/api/v1/audit?session=$SESSION_ID" | jq -r 'length') events in the session's timeline"
say "demo completed in $((SECONDS - START)) s; cleaning up"
