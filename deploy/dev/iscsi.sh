#!/usr/bin/env bash
# A user-space iSCSI target for storage-service's tests and the local stack: tgtd with its own
# management control port (so a machine's own tgtd on port 0 is never touched), an iSCSI portal
# on loopback and LUN backing files under .var/iscsi. It also offers one CHAP-protected "store"
# target that a dev iSCSI storage backend points at; storage-service creates one more target per
# staging session itself. Idempotent. docs/storage.md lists what it provides.
# Usage: iscsi.sh start|stop|status
set -euo pipefail
source "$(dirname "$0")/lib.sh"

ISCSI_HOME=$PUREBOOT_VAR/iscsi
BACKING_DIR=${PUREBOOT_ISCSI_BACKING_DIR:-$ISCSI_HOME/luns}
HOST=127.0.0.1
PORTAL_PORT=${PUREBOOT_ISCSI_PORT:-3260}
CONTROL_PORT=${PUREBOOT_TGT_CONTROL_PORT:-7}
# The dev store target (dev-only credentials, documented in docs/storage.md).
STORE_TID=1
STORE_IQN=iqn.2026-01.io.pureboot:dev-store
STORE_USER=pureboot-dev
STORE_PASSWORD=pureboot-dev-chap
STORE_FILE=$ISCSI_HOME/dev-store.img
STORE_SIZE=64M

tgtadm_local() { tgtadm -C "$CONTROL_PORT" --lld iscsi "$@"; }

tgtd_running() {
  [ -f "$PUREBOOT_VAR/tgtd.pid" ] && kill -0 "$(cat "$PUREBOOT_VAR/tgtd.pid")" 2>/dev/null
}

tgtd_ready() {
  port_open "$HOST" "$PORTAL_PORT" && tgtadm_local --mode system --op show | grep -q 'State: ready'
}

start_tgtd() {
  if tgtd_running; then
    log "tgtd already running (pid $(cat "$PUREBOOT_VAR/tgtd.pid"))"
  else
    command -v tgtd >/dev/null || bash "$(dirname "$0")/prereqs.sh"
    port_open "$HOST" "$PORTAL_PORT" \
      && die "port $HOST:$PORTAL_PORT is taken by another program; set PUREBOOT_ISCSI_PORT"
    [ -S "/var/run/tgtd/socket.$CONTROL_PORT" ] && tgtadm_local --mode system --op show >/dev/null 2>&1 \
      && die "another tgtd answers on control port $CONTROL_PORT; set PUREBOOT_TGT_CONTROL_PORT"
    mkdir -p "$BACKING_DIR"
    start_daemon tgtd tgtd -f -C "$CONTROL_PORT" --iscsi "portal=$HOST:$PORTAL_PORT"
  fi
  wait_until 30 "tgtd (portal $HOST:$PORTAL_PORT, control port $CONTROL_PORT)" tgtd_ready \
    || die "tgtd did not become ready in 30 s; see $PUREBOOT_LOGS/tgtd.log"
}

# Each step checks before it acts, so a start interrupted half-way is completed by the next one.
ensure_store_target() {
  local shown
  shown=$(tgtadm_local --mode target --op show)
  if ! grep -q "^Target $STORE_TID: $STORE_IQN\$" <<<"$shown"; then
    tgtadm_local --mode target --op new --tid "$STORE_TID" --targetname "$STORE_IQN"
    shown=$(tgtadm_local --mode target --op show)
  fi
  if ! sed -n "/^Target $STORE_TID:/,/^Target /p" <<<"$shown" | grep -q "Backing store path: $STORE_FILE\$"; then
    [ -f "$STORE_FILE" ] || truncate -s "$STORE_SIZE" "$STORE_FILE"
    tgtadm_local --mode logicalunit --op new --tid "$STORE_TID" --lun 1 --backing-store "$STORE_FILE"
  fi
  tgtadm_local --mode account --op show | grep -qx "    $STORE_USER" \
    || tgtadm_local --mode account --op new --user "$STORE_USER" --password "$STORE_PASSWORD"
  tgtadm_local --mode account --op bind --tid "$STORE_TID" --user "$STORE_USER" 2>/dev/null || true
  tgtadm_local --mode target --op bind --tid "$STORE_TID" --initiator-address ALL 2>/dev/null || true
  log "dev store target $STORE_IQN (tid $STORE_TID, LUN 1 of $STORE_SIZE, CHAP user $STORE_USER) ready"
}

# tgtd ignores SIGTERM while it serves targets: take it offline, drop every target, then ask it to exit.
stop_tgtd() {
  tgtd_running || { rm -f "$PUREBOOT_VAR/tgtd.pid"; return 0; }
  local pid tid
  pid=$(cat "$PUREBOOT_VAR/tgtd.pid")
  tgtadm_local --mode system --op update --name State --value offline >/dev/null 2>&1 || true
  for tid in $(tgtadm_local --mode target --op show 2>/dev/null | sed -n 's/^Target \([0-9]*\):.*/\1/p'); do
    tgtadm_local --mode target --op delete --force --tid "$tid" >/dev/null 2>&1 || true
  done
  tgtadm_local --mode system --op delete >/dev/null 2>&1 || true
  for _ in $(seq 1 20); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
  stop_daemon tgtd
}

case "${1:-start}" in
  start)
    start_tgtd
    ensure_store_target
    ;;
  stop)
    stop_tgtd
    ;;
  status)
    if tgtd_running && tgtd_ready; then
      echo "tgtd: running, portal $HOST:$PORTAL_PORT, control port $CONTROL_PORT, backing files in $BACKING_DIR"
    else
      echo "tgtd: not running"
      exit 1
    fi
    ;;
  *) die "usage: iscsi.sh start|stop|status" ;;
esac
