#!/usr/bin/env bash
# A user-space NFS server for storage-service's tests and the local stack: nfs-ganesha with the VFS
# FSAL, NFSv3 + MOUNT over TCP on loopback, exporting a directory under .var. It registers with
# rpcbind on port 111; a running rpcbind is used as it is, otherwise one is started (and only that
# one is stopped again). Idempotent. docs/storage.md lists what it provides.
# Usage: nfs.sh start|stop|status
set -euo pipefail
source "$(dirname "$0")/lib.sh"

NFS_HOME=$PUREBOOT_VAR/nfs
EXPORT_DIR=${PUREBOOT_NFS_EXPORT_DIR:-$NFS_HOME/export}
HOST=127.0.0.1
NFS_PORT=${PUREBOOT_NFS_PORT:-2049}
MOUNT_PORT=${PUREBOOT_NFS_MOUNT_PORT:-20048}
# The path clients mount (NFSv3 MNT and the NFSv4 pseudo root): independent of where the checkout lives.
EXPORT_PATH=/pureboot
RPCBIND_PORT=111
CONFIG=$NFS_HOME/ganesha.conf

write_config() {
  mkdir -p "$EXPORT_DIR" "$NFS_HOME/recovery"
  cat > "$CONFIG" <<CONF
# Written by deploy/dev/nfs.sh; edits are overwritten on the next start.
NFS_CORE_PARAM {
  Protocols = 3, 4;
  Bind_addr = $HOST;
  NFS_Port = $NFS_PORT;
  MNT_Port = $MOUNT_PORT;
  Enable_NLM = false;
  Enable_RQUOTA = false;
  mount_path_pseudo = true;
  Plugins_Dir = "/usr/lib/x86_64-linux-gnu/ganesha";
}
NFS_KRB5 { Active_krb5 = false; }
NFSV4 {
  Graceless = true;
  RecoveryBackend = fs;
  RecoveryRoot = "$NFS_HOME/recovery";
}
EXPORT {
  Export_Id = 1;
  Path = "$EXPORT_DIR";
  Pseudo = "$EXPORT_PATH";
  Access_Type = RW;
  Squash = No_Root_Squash;
  SecType = sys;
  Protocols = 3, 4;
  Transports = TCP;
  FSAL { Name = VFS; }
}
CONF
}

# NFS and MOUNT v3 answer a NULL call through rpcbind: what a client does first.
nfs_answers() {
  rpcinfo -T tcp "$HOST" 100003 3 && rpcinfo -T tcp "$HOST" 100005 3
}

ganesha_running() {
  [ -f "$PUREBOOT_VAR/nfs-ganesha.pid" ] && kill -0 "$(cat "$PUREBOOT_VAR/nfs-ganesha.pid")" 2>/dev/null
}

start_rpcbind() {
  if port_open "$HOST" "$RPCBIND_PORT"; then
    [ -f "$PUREBOOT_VAR/rpcbind.pid" ] || log "using the rpcbind already listening on $HOST:$RPCBIND_PORT"
    return 0
  fi
  command -v rpcbind >/dev/null || bash "$(dirname "$0")/prereqs.sh"
  mkdir -p /run/rpcbind
  start_daemon rpcbind rpcbind -f -w
  wait_until 15 "rpcbind on $HOST:$RPCBIND_PORT" rpcinfo -p "$HOST" \
    || die "rpcbind did not start in 15 s; see $PUREBOOT_LOGS/rpcbind.log"
}

start_ganesha() {
  if ganesha_running; then
    log "nfs-ganesha already running (pid $(cat "$PUREBOOT_VAR/nfs-ganesha.pid"))"
  else
    command -v ganesha.nfsd >/dev/null || bash "$(dirname "$0")/prereqs.sh"
    for port in "$NFS_PORT" "$MOUNT_PORT"; do
      port_open "$HOST" "$port" \
        && die "port $HOST:$port is taken by another program; set PUREBOOT_NFS_PORT / PUREBOOT_NFS_MOUNT_PORT"
    done
    write_config
    start_daemon nfs-ganesha ganesha.nfsd -F -f "$CONFIG" -L "$PUREBOOT_LOGS/nfs-ganesha.log" \
      -p "$NFS_HOME/ganesha.nfsd.pid" -N NIV_EVENT
  fi
  wait_until 30 "nfs-ganesha (NFSv3 on $HOST:$NFS_PORT, export $EXPORT_PATH -> $EXPORT_DIR)" nfs_answers \
    || die "nfs-ganesha did not answer in 30 s; see $PUREBOOT_LOGS/nfs-ganesha.log"
}

case "${1:-start}" in
  start)
    start_rpcbind
    start_ganesha
    ;;
  stop)
    stop_daemon nfs-ganesha
    # Only an rpcbind this script started has a pid file; a machine's own rpcbind keeps running.
    stop_daemon rpcbind
    ;;
  status)
    if ganesha_running && nfs_answers >/dev/null 2>&1; then
      echo "nfs-ganesha: running, NFSv3 on $HOST:$NFS_PORT, MOUNT on $HOST:$MOUNT_PORT, export $EXPORT_PATH -> $EXPORT_DIR"
    else
      echo "nfs-ganesha: not running"
      exit 1
    fi
    ;;
  *) die "usage: nfs.sh start|stop|status" ;;
esac
