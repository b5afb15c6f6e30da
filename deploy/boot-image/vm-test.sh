#!/usr/bin/env bash
# VM tests of the boot image: real iPXE boots of qemu VMs (TCG) against a real stack.
#
#   vm-test.sh [inventory|inventory-uefi|staged-nfs|staged-iscsi|direct|all|ci]   (root; default: all)
#
# It builds the boot image (cached, deploy/boot-image/build.sh), starts the three services from this
# checkout's jars on their own ports (PUREBOOT_VM_PORTS="proxy storage planner clone", default
# "18480 18481 18482 18483") with consumer groups of their own, and nginx (deploy/dev/proxy.sh) in
# front of them serving /boot/ from the image. PostgreSQL, Kafka and nfs-ganesha must run
# (./pureboot up, or deploy/dev/*.sh start). Each VM gets a virtio NIC with Debian's iPXE ROM on
# slirp, whose DHCP hands iPXE http://10.0.2.2:<proxy>/api/v1/boot/chain.ipxe (the guest's 10.0.2.2
# is the host's 127.0.0.1), and raw disk files on virtio-blk with serial numbers. Every VM runs under
# `timeout` and is killed by its own pid; everything the test creates is removed on exit.
#
#   inventory   one VM boots from its per-MAC script into `inventory` and powers off; its disk then
#               shows through the API with its serial and size.
#   inventory-uefi  the same with UEFI firmware (OVMF, Debian's ovmf): iPXE's EFI driver from the NIC's ROM,
#               the kernel's EFI stub.
#   staged-nfs  a source VM captures a GPT disk (ESP, ext4 with files, swap) into an NFS staging
#               directory mounted with the kernel client; two target VMs (about 60 % and 150 % of
#               the source) restore it in parallel. Checked from outside: session done through the
#               API, every partition fsck clean, the files identical (SHA-256), staging removed.
#   staged-iscsi the same through the session's own iSCSI target and LUN, which storage-service makes on
#               tgt (deploy/dev/iscsi.sh) with CHAP; the nodes log in with iscsiadm and mount the LUN's ext4.
#   direct      the source VM serves its disk over mutual TLS, the two target VMs restore from it in parallel over
#               a data network of the VMs' own (a second NIC on a qemu multicast socket network, link-local
#               addresses); the same checks. After a staged scenario it reuses that one's nodes and disks.
#   The staged and direct scenarios share their nodes: the three inventory boots run once per run.
#
# NFS from a VM: the guest reaches the host's loopback only as 10.0.2.2, which the host itself cannot
# reach, while the storage-service must reach the same server name the nodes mount. The test
# therefore forwards this host's own address (ports 2049 and 20048, socat; rpcbind already listens
# on every address) to nfs-ganesha on 127.0.0.1 and registers the backend by that address: a real
# network's shape, no change to the guest image. iSCSI the same way (port 3260): tgt answers SendTargets
# with its loopback portal, and the agent makes its own record for the portal it was told.
#
# Settings: PUREBOOT_VM_TIMEOUT (seconds per VM, default 900), PUREBOOT_VM_KEEP=1 keeps disks and logs,
# PUREBOOT_VM_NFS_EXPORT_DIR the directory nfs-ganesha exports (default: this checkout's, deploy/dev/nfs.sh),
# PUREBOOT_ISCSI_BACKING_DIR and PUREBOOT_TGT_CONTROL_PORT those of the tgtd running (deploy/dev/iscsi.sh's defaults),
# PUREBOOT_VM_IMAGE=<dir> boots that image directory instead of building (or reusing) the current one.
set -euo pipefail
source "$(dirname "$0")/../dev/lib.sh"
source "$(dirname "$0")/../dev/progress.sh"
source "$(dirname "$0")/../dev/source-disk.sh"
cd "$PUREBOOT_ROOT"

SCENARIO=${1:-all}
# What ./pureboot test runs: the scenarios that pass reliably within CI's budget for VM tests (docs/boot-image.md).
# staged-iscsi holds the inventory scenario's checks (three inventory boots come first).
# direct after it clones the same disks again, with no inventory boots of its own.
CI_SCENARIOS=(staged-iscsi direct)
case $SCENARIO in inventory|inventory-uefi|staged-nfs|staged-iscsi|direct|all|ci) ;;
  *) die "usage: vm-test.sh [inventory|inventory-uefi|staged-nfs|staged-iscsi|direct|all|ci]" ;;
esac
[ "$(id -u)" -eq 0 ] || die "vm-test: needs root (the image build, loop devices for the disks' contents)"
for tool in qemu-system-x86_64 socat curl jq sgdisk losetup mkfs.ext4 mkfs.vfat mcopy e2fsck fsck.fat; do
  command -v "$tool" >/dev/null || bash deploy/dev/prereqs.sh
done
ROM=/usr/lib/ipxe/qemu/efi-virtio.rom
OVMF=/usr/share/ovmf/OVMF.fd  # UEFI firmware for inventory-uefi (Debian's ovmf)
[ -f "$ROM" ] && [ -f "$OVMF" ] || bash deploy/dev/prereqs.sh
exec 3>&2  # this script's stderr, for what must be told from inside a check whose output is discarded
# The services need Java 21 or later, not a machine's default java (17 here).
find_jdk
for jar in storage-service resize-planner-service clone-service; do
  [ -f "$jar/target/quarkus-app/quarkus-run.jar" ] || die "$jar is not built: ./mvnw -B package -DskipTests"
done

read -r PROXY_PORT STORAGE_PORT PLANNER_PORT CLONE_PORT <<<"${PUREBOOT_VM_PORTS:-18480 18481 18482 18483}"
# The proxy's HTTPS port: the API and the node API live there (plain HTTP keeps only iPXE's paths). Not the console
# e2e stack's 18443: both may run at once beside each other on a shared machine.
TLS_PORT=${PUREBOOT_VM_TLS_PORT:-18484}
API=https://127.0.0.1:$TLS_PORT BOOT_FILES_API=http://127.0.0.1:$PROXY_PORT STORAGE=http://127.0.0.1:$STORAGE_PORT PLANNER=http://127.0.0.1:$PLANNER_PORT
VM_TIMEOUT=${PUREBOOT_VM_TIMEOUT:-900}
# direct: the VMs' data network, a qemu multicast socket group on loopback of this run's own
DATA_NETWORK=230.0.$((RANDOM % 256)).$((RANDOM % 254 + 1)):$((20000 + RANDOM % 20000))
MIB=$((1 << 20))
RUN=$(date +%Y%m%d-%H%M%S)
WORK=$PUREBOOT_VAR/vm-test/$RUN
MNT=$WORK/mnt
# nfs-ganesha's export directory (deploy/dev/nfs.sh), where the test checks that staging was removed
EXPORT_DIR=${PUREBOOT_VM_NFS_EXPORT_DIR:-$PUREBOOT_VAR/nfs/export}
# tgtd's LUN files and management port (deploy/dev/iscsi.sh), for the iSCSI backend and the removal check
LUN_DIR=${PUREBOOT_ISCSI_BACKING_DIR:-$PUREBOOT_VAR/iscsi/luns}
TGT_CONTROL_PORT=${PUREBOOT_TGT_CONTROL_PORT:-7}
mkdir -p "$WORK" "$MNT"
ADMIN_KEY=pbk_vm-$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')
INTERNAL_TOKEN=$(head -c 24 /dev/urandom | base64 | tr -d '/+=\n')
HOST_ADDRESS=${PUREBOOT_VM_HOST_ADDRESS:-$(ip -4 route get 1.1.1.1 2>/dev/null | awk '{for (i = 1; i < NF; i++) if ($i == "src") print $(i + 1)}')}

STARTED=() VMS=() FORWARDERS=() PROGRESS_PID= SESSION_ID= BACKEND_ID= STARTED_AT=$SECONDS

say() { printf '[%s] vm-test: %s\n' "$(date +%H:%M:%S)" "$*"; }

cleanup() {
  local status=$? pid name loop
  trap - EXIT INT TERM
  for pid in "${VMS[@]}"; do kill "$pid" 2>/dev/null || true; done
  stop_following "$PROGRESS_PID"
  umount "$MNT" 2>/dev/null || true
  # attach runs in command substitutions, so loops are found by their backing files
  for loop in $(losetup -nO NAME -j "$WORK/source.raw"; losetup -nO NAME -j "$WORK/small.raw"; \
      losetup -nO NAME -j "$WORK/large.raw"); do
    losetup -d "$loop" 2>/dev/null || true
  done
  if [ -n "$SESSION_ID" ]; then
    api POST "/api/v1/clone-sessions/$SESSION_ID/cancel" '{"reason":"vm test ended"}' >/dev/null 2>&1 || true
  fi
  [ -n "$BACKEND_ID" ] && curl -fsS -X DELETE -H "Authorization: Bearer $ADMIN_KEY" "$STORAGE/api/v1/storage-backends/$BACKEND_ID" >/dev/null 2>&1 || true
  for pid in "${FORWARDERS[@]}"; do kill "$pid" 2>/dev/null || true; done
  PUREBOOT_VAR=$WORK bash deploy/dev/proxy.sh stop >/dev/null 2>&1 || true
  for name in "${STARTED[@]}"; do stop_daemon "$name" >/dev/null; done
  if [ "$status" -eq 0 ] && [ "${PUREBOOT_VM_KEEP:-0}" != 1 ]; then
    rm -rf "$WORK"
  else
    rm -f "$WORK"/*.raw
    [ "$status" -eq 0 ] || printf 'vm-test: failed (exit %s); serial consoles and logs in %s\n' "$status" "$WORK" >&2
  fi
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# ---- the API ---------------------------------------------------------------------------------------
api() { # METHOD PATH [BODY] -> body, then the status on the last line
  curl -sS --cacert "$WORK/ca/ca.pem" -X "$1" -H "Authorization: Bearer $ADMIN_KEY" \
    -H 'Content-Type: application/json' ${3:+--data "$3"} -w '\n%{http_code}' "$API$2"
}
expect() { # STATUS METHOD PATH [BODY] -> body; dies on another status
  local answer
  answer=$(api "$2" "$3" "${4:-}")
  [ "${answer##*$'\n'}" = "$1" ] || die "$2 $3 answered ${answer##*$'\n'}: ${answer%$'\n'*}"
  printf '%s' "${answer%$'\n'*}"
}
expect_soon() { # STATUS METHOD PATH [BODY]: events take a moment to reach the other services
  local deadline=$((SECONDS + 60)) answer
  while :; do
    answer=$(api "$2" "$3" "${4:-}")
    [ "${answer##*$'\n'}" = "$1" ] && { printf '%s' "${answer%$'\n'*}"; return 0; }
    [ $SECONDS -lt $deadline ] || die "$2 $3 answered ${answer##*$'\n'}: ${answer%$'\n'*}"
    sleep 1
  done
}
session_field() { expect 200 GET "/api/v1/clone-sessions/$SESSION_ID" | jq -r "$1"; }
await_session() { # JQ-CONDITION SECONDS WHAT
  local deadline=$((SECONDS + $2))
  until [ "$(session_field "$1")" = true ]; do
    [ "$(session_field .state)" != failed ] || die "session failed: $(session_field .failure_reason)"
    [ $SECONDS -lt $deadline ] || die "$3 did not happen within $2 s (state $(session_field .state))"
    sleep 2
  done
}

# ---- the stack -------------------------------------------------------------------------------------
service_up() { # NAME PORT (its output is discarded by wait_until: a service that exited is told on fd 3)
  kill -0 "$(cat "$PUREBOOT_VAR/vm-$1.pid")" 2>/dev/null \
    || die "$1 exited; see $PUREBOOT_LOGS/vm-$1.log" 2>&3
  curl -fsS "http://127.0.0.1:$2/q/health/ready" >/dev/null
}

start_stack() {
  port_open 127.0.0.1 5432 || die "PostgreSQL is not running (./pureboot up, or deploy/dev/postgres.sh start)"
  bash deploy/dev/postgres.sh start >/dev/null  # makes sure pureboot_vm has its roles and schemas
  port_open 127.0.0.1 "${PUREBOOT_KAFKA_PORT:-19092}" \
    || die "Kafka is not running on ${PUREBOOT_KAFKA_PORT:-19092} (./pureboot up, or deploy/dev/kafka.sh start)"
  local entry name port groups storage_key clone_key
  for port in "$PROXY_PORT" "$TLS_PORT"; do
    port_open 127.0.0.1 "$port" && die "port $port is taken; choose others with PUREBOOT_VM_PORTS and PUREBOOT_VM_TLS_PORT"
  done
  storage_key=$(head -c 32 /dev/urandom | base64)
  # A database of the VM tests' own, and a clone secret key kept in the machine's cache, not the checkout: the direct
  # CA clone-service keeps in its database is sealed with that key, so every checkout on this machine (CI's fresh
  # clones included) must bring the same one, and the dev stack's database (another key) is left alone.
  clone_key=$(PUREBOOT_VAR=$PUREBOOT_CACHE var_secret vm-test-clone-secret-key)
  for entry in storage-service:$STORAGE_PORT resize-planner-service:$PLANNER_PORT clone-service:$CLONE_PORT; do
    name=${entry%%:*} port=${entry##*:}
    port_open 127.0.0.1 "$port" && die "port $port is taken; choose others with PUREBOOT_VM_PORTS"
    # Consumer groups of this run, starting at the topics' end: a stack running beside (./pureboot up)
    # and this test never take each other's events.
    case $name in
      storage-service) groups=(MP_MESSAGING_INCOMING_CLONE_SESSIONS_GROUP_ID=storage-service-vm-$RUN
                               MP_MESSAGING_INCOMING_CLONE_SESSIONS_AUTO_OFFSET_RESET=latest) ;;
      resize-planner-service) groups=(MP_MESSAGING_INCOMING_CLONE_SESSIONS_GROUP_ID=resize-planner-service-vm-$RUN
                                      MP_MESSAGING_INCOMING_CLONE_SESSIONS_AUTO_OFFSET_RESET=latest
                                      MP_MESSAGING_INCOMING_NODE_INVENTORY_GROUP_ID=resize-planner-service-vm-$RUN
                                      MP_MESSAGING_INCOMING_NODE_INVENTORY_AUTO_OFFSET_RESET=latest) ;;
      *) groups=(MP_MESSAGING_INCOMING_ORCHESTRATION_GROUP_ID=clone-service-vm-$RUN
                 MP_MESSAGING_INCOMING_ORCHESTRATION_AUTO_OFFSET_RESET=latest
                 MP_MESSAGING_INCOMING_AUDIT_GROUP_ID=clone-service-audit-vm-$RUN
                 MP_MESSAGING_INCOMING_AUDIT_AUTO_OFFSET_RESET=latest) ;;
    esac
    # Nodes reach the proxy as 10.0.2.2 (slirp). The JVM of an emulated node runs C1 only: it starts
    # about twice as fast under TCG, and the agent's heavy lifting (zstd, hashing) is native or intrinsic.
    start_daemon "vm-$name" env PUREBOOT_STORAGE_SECRET_KEY="$storage_key" PUREBOOT_CLONE_SECRET_KEY="$clone_key" \
      PUREBOOT_DB_NAME=pureboot_vm PUREBOOT_INTERNAL_TOKEN="$INTERNAL_TOKEN" PUREBOOT_KAFKA_GROUP_SUFFIX="-vm-$RUN" PUREBOOT_AUTH_ISSUER_URL="http://127.0.0.1:$CLONE_PORT" \
      PUREBOOT_BOOTSTRAP_ADMIN_KEY="$ADMIN_KEY" PUREBOOT_ADMIN_KEY_FILE="$WORK/generated-admin-key" \
      PUREBOOT_STORAGE_URL="$STORAGE" PUREBOOT_PUBLIC_URL="http://10.0.2.2:$PROXY_PORT" \
      PUREBOOT_AGENT_URL="https://10.0.2.2:$TLS_PORT" PUREBOOT_CA_INITRD=pureboot-ca.img \
      PUREBOOT_BOOT_FILES_URL="http://10.0.2.2:$PROXY_PORT/boot" \
      PUREBOOT_KERNEL_ARGUMENTS="pureboot.java_opts=-XX:TieredStopAtLevel=1 pureboot.direct_network=169.254.0.0/16" \
      "${groups[@]}" \
      java -Xms64m -Xmx384m -Dquarkus.http.port="$port" -jar "$name/target/quarkus-app/quarkus-run.jar"
    STARTED+=("vm-$name")
  done
  for entry in storage-service:$STORAGE_PORT resize-planner-service:$PLANNER_PORT clone-service:$CLONE_PORT; do
    wait_until 180 "${entry%%:*}" service_up "${entry%%:*}" "${entry##*:}" >/dev/null \
      || die "${entry%%:*} did not become ready; see $PUREBOOT_LOGS/vm-${entry%%:*}.log"
  done
  PUREBOOT_VAR=$WORK PUREBOOT_PORT=$PROXY_PORT PUREBOOT_TLS_PORT=$TLS_PORT PUREBOOT_STORAGE_PORT=$STORAGE_PORT \
    PUREBOOT_PLANNER_PORT=$PLANNER_PORT PUREBOOT_CLONE_PORT=$CLONE_PORT PUREBOOT_BOOT_FILES=$IMAGE \
    bash deploy/dev/proxy.sh start >/dev/null
  curl -fsS -o /dev/null "$BOOT_FILES_API/boot/pureboot-vmlinuz" || die "the proxy does not serve the boot image"
  curl -fsS -o /dev/null "$BOOT_FILES_API/boot/pureboot-ca.img" || die "the proxy does not serve the CA initrd"
  say "stack up: proxy $API (nodes: http://10.0.2.2:$PROXY_PORT, https://10.0.2.2:$TLS_PORT), services on $STORAGE_PORT-$CLONE_PORT"
}

# ---- VMs -------------------------------------------------------------------------------------------
new_mac() { printf '52:54:00:%02x:%02x:%02x' $((RANDOM % 256)) $((RANDOM % 256)) $((RANDOM % 256)); }

register_node() { # NAME MAC -> node id
  expect 201 POST /api/v1/nodes "{\"mac\":\"$2\",\"name\":\"vm-$1-$RUN\"}" | jq -r .id
}

# Starts a VM that network-boots (iPXE from the NIC's ROM) with one raw disk; prints nothing, records
# its pid. The VM ends by itself (poweroff, or a reboot that -no-reboot turns into an exit).
# VM_FIRMWARE=uefi boots it with OVMF instead of SeaBIOS.
# VM_DATA_NETWORK=<group:port> adds a second NIC (no boot ROM) on that qemu multicast socket network.
start_vm() { # NAME MAC DISK-FILE SERIAL
  local name=$1 firmware=() data=()
  [ "${VM_FIRMWARE:-bios}" = uefi ] && firmware=(-bios "$OVMF")
  [ -n "${VM_DATA_NETWORK:-}" ] && data=(-netdev "socket,id=n1,mcast=$VM_DATA_NETWORK,localaddr=127.0.0.1"
    -device "virtio-net-pci,netdev=n1,mac=52:54:01:${2#52:54:00:},disable-legacy=on,romfile=")
  timeout -k 10 "$VM_TIMEOUT" qemu-system-x86_64 -name "pureboot-$name" -machine pc,accel=tcg -m 1536 -smp 1 "${firmware[@]}" \
    -display none -vga std -monitor "unix:$WORK/$name.monitor,server,nowait" -serial "file:$WORK/$name.serial" \
    -no-reboot -boot order=n \
    -netdev "user,id=n0,bootfile=http://10.0.2.2:$PROXY_PORT/api/v1/boot/chain.ipxe" \
    -device "virtio-net-pci,netdev=n0,mac=$2,disable-legacy=on,romfile=$ROM" "${data[@]}" \
    -drive "file=$3,format=raw,if=none,id=d0,cache=unsafe" -device "virtio-blk-pci,drive=d0,serial=$4" \
    >"$WORK/$name.qemu.log" 2>&1 &
  VM_PID=$!
  VMS+=("$VM_PID")
  eval "VM_STARTED_$VM_PID=$SECONDS"
}

await_vm() { # PID NAME -> dies unless the VM ended by itself in time
  local status=0 started
  # A failed agent leaves its VM in a shell (after_failure): stop waiting at once, the console says why.
  while kill -0 "$1" 2>/dev/null; do
    if grep -q 'pureboot-agent .* exited [1-9][0-9]* after' "$WORK/$2.serial" 2>/dev/null; then
      kill "$1" 2>/dev/null || true
      die "VM $2: its agent failed: $(tr -d '\r' < "$WORK/$2.serial" | grep '^pureboot-agent: \|exited [0-9]* after' | tail -2)"
    fi
    sleep 5
  done
  wait "$1" || status=$?
  started=VM_STARTED_$1
  [ "$status" -ne 124 ] && [ "$status" -ne 137 ] \
    || die "VM $2 did not finish within $VM_TIMEOUT s; its console: $(tail -5 "$WORK/$2.serial" | tr -d '\r')"
  [ "$status" -eq 0 ] || die "qemu of VM $2 exited $status: $(tail -3 "$WORK/$2.qemu.log")"
  grep -q 'pureboot-agent .* exited 0 ' "$WORK/$2.serial" \
    || die "VM $2: its agent did not succeed; console: $(grep 'pureboot' "$WORK/$2.serial" | tail -8 | tr -d '\r')"
  say "VM $2 done in $((SECONDS - ${!started})) s ($(grep -o 'exited 0 after [0-9]* s' "$WORK/$2.serial" | head -1 | sed 's/exited 0 after/agent ran/'))"
}

# ---- disks -----------------------------------------------------------------------------------------
attach() { # FILE [PARTITIONS] -> loop device, its partition nodes created (this host runs no udev)
  local loop
  loop=$(losetup -f --show -P "$1")
  if [ -n "${2:-}" ]; then
    partx -u "$loop" 2>/dev/null || true
    for _ in $(seq 1 50); do [ -b "${loop}p$2" ] && break; sleep 0.1; done
    [ -b "${loop}p$2" ] || die "$1: no partition $2 on $loop"
  fi
  echo "$loop"
}
detach() { losetup -d "$1"; }

make_source() { # FILE BYTES: GPT with a 40 MiB ESP (FAT32 with files), an ext4 root with files, 32 MiB swap
  local dev
  truncate -s "$2" "$1"
  dev=$(attach "$1")
  make_source_disk "$dev" 40 32 8 usr/share/doc/bash usr/share/doc/coreutils usr/lib/python3.11/json
  detach "$dev"
}

tree_of() { # PARTITION -> sorted listing and SHA-256 of every file (read-only mount)
  mount -o ro "$1" "$MNT"
  (cd "$MNT" && find . -printf '%y %m %s %l %p\n' | LC_ALL=C sort && find . -type f -print0 | LC_ALL=C sort -z | xargs -0r sha256sum)
  umount "$MNT"
}

# ---- scenarios -------------------------------------------------------------------------------------
inventory_boot() { # NAME MAC DISK-FILE SERIAL NODE-ID (starts the VM; the caller awaits it)
  expect 200 POST "/api/v1/nodes/$5/request-inventory" >/dev/null
  start_vm "$1" "$2" "$3" "$4"
}

await_inventory() { # NODE-ID SERIAL BYTES
  local deadline=$((SECONDS + 60))
  until curl -fsS -H "Authorization: Bearer $ADMIN_KEY" "$PLANNER/api/v1/inventories/$1" 2>/dev/null \
      | jq -e --arg s "$2" --argjson b "$3" '.disks | any(.serial == $s and .size_bytes == $b)' >/dev/null; do
    [ $SECONDS -lt $deadline ] || die "the inventory of node $1 (disk $2, $3 bytes) did not reach the API"
    sleep 1
  done
}

scenario_inventory() { # [bios|uefi]
  local firmware=${1:-bios} started=$SECONDS mac node name=inventory serial=PBVM-INV-${RUN: -6}
  [ "$firmware" = bios ] || name=inventory-$firmware serial=PBVM-UEF-${RUN: -6}
  say "$name: one VM boots from its per-MAC iPXE script ($firmware firmware)"
  mac=$(new_mac)
  node=$(register_node "$name" "$mac")
  truncate -s $((256 * MIB)) "$WORK/$name.raw"
  VM_FIRMWARE=$firmware inventory_boot "$name" "$mac" "$WORK/$name.raw" "$serial" "$node"
  await_vm "$VM_PID" "$name"
  await_inventory "$node" "$serial" $((256 * MIB))
  say "$name: node $node shows disk $serial (256 MiB) through the API; passed in $((SECONDS - started)) s"
}

forward_to_loopback() { # SERVICE PORT...: this host's address, port by port, to the server on 127.0.0.1
  local what=$1 port
  shift
  [ -n "$HOST_ADDRESS" ] || die "no host address to reach $what by (set PUREBOOT_VM_HOST_ADDRESS)"
  port_open 127.0.0.1 "$1" || die "$what is not running on 127.0.0.1:$1 (deploy/dev/*.sh start)"
  for port in "$@"; do
    if ! port_open "$HOST_ADDRESS" "$port"; then
      socat "TCP-LISTEN:$port,bind=$HOST_ADDRESS,reuseaddr,fork" "TCP:127.0.0.1:$port" &
      FORWARDERS+=("$!")
    fi
  done
  wait_until 10 "$what on $HOST_ADDRESS" port_open "$HOST_ADDRESS" "$1" >/dev/null || die "socat did not listen"
}

# Not in a command substitution: the forwarders must be this shell's children (cleanup ends them by pid).
forward_staging() { # nfs|iscsi: the staging server reachable by this host's address
  case $1 in
    nfs) forward_to_loopback nfs-ganesha 2049 20048 ;;
    iscsi) forward_to_loopback tgtd 3260 ;;
  esac
}

create_backend() { # nfs|iscsi -> the backend's id (forward_staging first)
  case $1 in
    nfs)
      expect 201 POST /api/v1/storage-backends "{\"name\":\"vm-nfs-$RUN\",\"backend_type\":\"nfs\",\"nfs_server\":\"$HOST_ADDRESS\",\"nfs_export\":\"/pureboot\",\"nfs_options\":\"vers=3,proto=tcp\"}" | jq -r .id ;;
    iscsi)
      # The store target and CHAP account deploy/dev/iscsi.sh offers (dev-only credentials, docs/storage.md);
      # storage-service makes each session a target of its own on that tgtd.
      expect 201 POST /api/v1/storage-backends "$(jq -nc --arg name "vm-iscsi-$RUN" --arg portal "$HOST_ADDRESS:3260" \
        --arg dir "$LUN_DIR" --argjson port "$TGT_CONTROL_PORT" \
        '{name: $name, backend_type: "iscsi", iscsi_target: "iqn.2026-01.io.pureboot:dev-store", iscsi_portal: $portal,
          iscsi_username: "pureboot-dev", iscsi_password: "pureboot-dev-chap",
          iscsi_management: {mode: "tgtadm_local", control_port: $port, backing_store_dir: $dir}}')" | jq -r .id ;;
  esac
}

staging_left() { # nfs|iscsi -> what of the session's staging is still there (nothing when it was removed)
  case $1 in
    nfs) [ ! -e "$EXPORT_DIR/pureboot-staging/$SESSION_ID" ] || echo "$EXPORT_DIR/pureboot-staging/$SESSION_ID" ;;
    iscsi)
      [ ! -e "$LUN_DIR/pureboot-$SESSION_ID.img" ] || echo "$LUN_DIR/pureboot-$SESSION_ID.img"
      tgtadm -C "$TGT_CONTROL_PORT" --lld iscsi --mode target --op show | grep -i "$SESSION_ID" || true ;;
  esac
}

# The three nodes of a clone: a 1 GiB source disk made here (make_source) and two empty targets of about 60 % and
# 150 % of it, registered and booted into inventory in parallel so that the planner knows their disks. Done once
# per run: the direct scenario after a staged one clones the same source again onto the same (now full) targets.
# 1 GiB: the planner shrinks ext4 only when its minimum plus a 256 MiB margin is below its size, so a smaller
# source could not fit the 60 % target (a 256 MiB source was refused as infeasible).
declare -A NODE=() MAC=() SERIAL=() BYTES=()
CLONE_NODES=(source small large)
SOURCE_TREE=

nodes_with_inventory() {
  [ -z "$SOURCE_TREE" ] || return 0
  local name dev pid pids=()
  BYTES[source]=$((1024 * MIB))
  BYTES[small]=$((BYTES[source] * 6 / 10 / MIB * MIB)) BYTES[large]=$((BYTES[source] * 3 / 2))
  SERIAL[source]=PBVM-SRC-${RUN: -6} SERIAL[small]=PBVM-SML-${RUN: -6} SERIAL[large]=PBVM-LRG-${RUN: -6}
  say "nodes: source $((BYTES[source] / MIB)) MiB, targets $((BYTES[small] / MIB)) and $((BYTES[large] / MIB)) MiB"
  make_source "$WORK/source.raw" "${BYTES[source]}"
  truncate -s "${BYTES[small]}" "$WORK/small.raw"
  truncate -s "${BYTES[large]}" "$WORK/large.raw"
  dev=$(attach "$WORK/source.raw" 3); SOURCE_TREE=$(tree_of "${dev}p2"); detach "$dev"
  for name in "${CLONE_NODES[@]}"; do
    MAC[$name]=$(new_mac)
    NODE[$name]=$(register_node "$name" "${MAC[$name]}")
  done
  say "nodes: three inventory boots in parallel"
  for name in "${CLONE_NODES[@]}"; do
    inventory_boot "$name-inventory" "${MAC[$name]}" "$WORK/$name.raw" "${SERIAL[$name]}" "${NODE[$name]}"
    pids+=("$VM_PID")
  done
  for name in "${CLONE_NODES[@]}"; do
    await_vm "${pids[0]}" "$name-inventory"
    pids=("${pids[@]:1}")
  done
  for name in "${CLONE_NODES[@]}"; do await_inventory "${NODE[$name]}" "${SERIAL[$name]}" "${BYTES[$name]}"; done
}

# Defines the session (mode staged with a backend id, or direct), analyzes it and starts it; SESSION_SWARM=true
# gives it the swarm option (docs/swarm.md).
start_session() { # staged BACKEND-ID | direct
  local staging=null
  [ "$1" = staged ] && staging="\"$2\""
  SESSION_ID=$(expect_soon 201 POST /api/v1/clone-sessions "$(jq -nc --arg mode "$1" --argjson backend "$staging" \
    --argjson swarm "${SESSION_SWARM:-false}" \
    --arg s "${NODE[source]}" --arg sd "${SERIAL[source]}" --arg t1 "${NODE[small]}" --arg d1 "${SERIAL[small]}" \
    --arg t2 "${NODE[large]}" --arg d2 "${SERIAL[large]}" --arg name "vm test $1 $RUN" \
    '{name: $name, clone_mode: $mode, source_node_id: $s, source_disk_id: $sd, resize_mode: "shrink_source", swarm: $swarm,
      targets: [{node_id: $t1, disk_id: $d1}, {node_id: $t2, disk_id: $d2}]}
     + (if $backend == null then {} else {staging_backend_id: $backend} end)')" | jq -r .id)
  expect_soon 200 POST "/api/v1/clone-sessions/$SESSION_ID/analyze" >/dev/null
  # The plans reach clone-service through Kafka: start answers 422 until every target has its plan.
  expect_soon 200 POST "/api/v1/clone-sessions/$SESSION_ID/start" >/dev/null
  [ "${PUREBOOT_VM_PROGRESS:-0}" = 1 ] && show_progress
  return 0
}

# PUREBOOT_VM_PROGRESS=1 (./pureboot demo --vm): the session's live progress, printed until the scenario ends.
show_progress() {
  follow_progress "$API/api/v1/clone-sessions/$SESSION_ID/progress" \
    "$(jq -nc --arg s "${NODE[source]}" --arg t1 "${NODE[small]}" --arg t2 "${NODE[large]}" \
      '{($s): "source", ($t1): "small", ($t2): "large"}')" \
    --cacert "$WORK/ca/ca.pem" -H "Authorization: Bearer $ADMIN_KEY" &
  PROGRESS_PID=$!
}
stop_progress() { stop_following "$PROGRESS_PID"; PROGRESS_PID=; }

# Checked from outside on all three disks: fsck clean, the root's files identical to the source's before the run.
check_disks() { # SCENARIO
  local name dev
  for name in "${CLONE_NODES[@]}"; do
    dev=$(attach "$WORK/$name.raw" 3)
    e2fsck -fn "${dev}p2" >/dev/null 2>&1 || die "$1: $name: e2fsck found problems"
    fsck.fat -n "${dev}p1" >/dev/null || die "$1: $name: fsck.fat found problems"
    [ "$(tree_of "${dev}p2")" = "$SOURCE_TREE" ] || die "$1: $name: the files differ from the source's"
    say "$1: $name: fsck clean, files identical to the source's (SHA-256), root $(( $(blockdev --getsize64 "${dev}p2") / MIB )) MiB"
    detach "$dev"
  done
}

scenario_staged() { # nfs|iscsi
  local kind=$1 scenario=staged-$1 started=$SECONDS small_pid large_pid left
  nodes_with_inventory
  forward_staging "$kind"
  BACKEND_ID=$(create_backend "$kind")
  say "$scenario: $kind backend $BACKEND_ID on $HOST_ADDRESS"
  start_session staged "$BACKEND_ID"
  await_session '.state == "source_armed"' 120 "staging provisioning"
  say "$scenario: session $SESSION_ID armed; the source VM boots into clone-source-staged"
  start_vm source "${MAC[source]}" "$WORK/source.raw" "${SERIAL[source]}"
  await_vm "$VM_PID" source
  await_session '[.targets[].state] | all(. == "armed")' 120 "arming the targets"
  say "$scenario: both target VMs boot into clone-target-staged"
  start_vm small "${MAC[small]}" "$WORK/small.raw" "${SERIAL[small]}"; small_pid=$VM_PID
  start_vm large "${MAC[large]}" "$WORK/large.raw" "${SERIAL[large]}"; large_pid=$VM_PID
  await_vm "$small_pid" small
  await_vm "$large_pid" large
  await_session '.phase == "done"' 120 "cleanup"
  left=$(staging_left "$kind")
  [ -z "$left" ] || die "the session's staging was not removed: $left"
  stop_progress
  check_disks "$scenario"
  SESSION_ID= BACKEND_ID=
  say "$scenario: passed in $((SECONDS - started)) s"
}

# Direct mode: the source VM serves its disk over mutual TLS and the two target VMs pull it from there, over a
# data network of their own: each VM's second NIC is on a qemu multicast socket network that only the VMs share
# (slirp, the first NIC, keeps VMs apart). No DHCP server answers there, so the image's init gives the NIC a
# link-local address, and the agents advertise that one (pureboot.direct_network=169.254.0.0/16, in the stack's
# kernel arguments). The session has the swarm option: the targets also serve each other over that network.
scenario_direct() {
  local started=$SECONDS source_pid small_pid large_pid name served served_total=0
  nodes_with_inventory
  SESSION_SWARM=true start_session direct
  await_session '.state == "source_armed"' 60 "arming the source"
  say "direct: session $SESSION_ID armed; the source VM boots into clone-source-direct (data network $DATA_NETWORK)"
  VM_DATA_NETWORK=$DATA_NETWORK start_vm source "${MAC[source]}" "$WORK/source.raw" "${SERIAL[source]}"
  source_pid=$VM_PID
  await_session '[.targets[].state] | all(. == "armed")' 600 "the source listening"
  say "direct: the source listens ($(tr -d '\r' < "$WORK/source.serial" | grep -o 'link-local [0-9./]*' | head -1)); both target VMs boot into clone-target-direct"
  VM_DATA_NETWORK=$DATA_NETWORK start_vm small "${MAC[small]}" "$WORK/small.raw" "${SERIAL[small]}"; small_pid=$VM_PID
  VM_DATA_NETWORK=$DATA_NETWORK start_vm large "${MAC[large]}" "$WORK/large.raw" "${SERIAL[large]}"; large_pid=$VM_PID
  await_vm "$small_pid" small
  await_vm "$large_pid" large
  await_vm "$source_pid" source
  await_session '.state == "completed"' 120 "the session's completion"
  grep -q 'link-local 169\.254\.' "$WORK/source.serial" || die "direct: the source VM got no link-local address"
  for name in small large; do
    served=$(tr -d '\r' < "$WORK/$name.serial" | grep -o 'stopped serving the swarm after [0-9]* chunks' | tail -1)
    [ -n "$served" ] || die "direct: the $name target VM did not run the swarm (no swarm end in its console)"
    say "direct: $name: $served"
    served_total=$((served_total + ${served//[!0-9]/}))
  done
  # Two targets share the chunks as seeders (each fetches every other chunk from the source and waits for its peer
  # for the rest): none served means the swarm ran beside the restore, not in it.
  [ "$served_total" -gt 0 ] || die "direct: the target VMs ran the swarm but served each other no chunk"
  stop_progress
  check_disks direct
  SESSION_ID=
  say "direct: passed in $((SECONDS - started)) s"
}

# ---- run -------------------------------------------------------------------------------------------
if [ -n "${PUREBOOT_VM_IMAGE:-}" ]; then
  IMAGE=$PUREBOOT_VM_IMAGE  # an image directory built before (build.sh's output), used as it is
else
  say "boot image: deploy/boot-image/build.sh (cached)"
  IMAGE=$(bash deploy/boot-image/build.sh | tail -1)
fi
say "boot image: $IMAGE ($(awk '/total_bytes/ {printf "%d MiB", $2 / 1048576}' "$IMAGE/MANIFEST"))"
start_stack
case $SCENARIO in
  inventory) scenario_inventory ;;
  inventory-uefi) scenario_inventory uefi ;;
  staged-nfs) scenario_staged nfs ;;
  staged-iscsi) scenario_staged iscsi ;;
  direct) scenario_direct ;;
  all) scenario_inventory; scenario_inventory uefi; scenario_staged nfs; scenario_staged iscsi; scenario_direct ;;
  ci) for name in "${CI_SCENARIOS[@]}"; do
        case $name in staged-*) scenario_staged "${name#staged-}" ;; *) "scenario_${name//-/_}" ;; esac
      done ;;
esac
say "all passed in $((SECONDS - STARTED_AT)) s"
