# Shared helpers of the local-stack scripts. Source it; it defines functions and paths only.

PUREBOOT_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
PUREBOOT_VAR=${PUREBOOT_VAR:-$PUREBOOT_ROOT/.var}
PUREBOOT_LOGS=$PUREBOOT_VAR/logs
# What is slow to build and depends only on its inputs (the boot image, the container base image) is cached
# outside any checkout, keyed by a hash of those inputs, so a fresh clone (CI) on the same machine reuses it.
# Nothing in it is a secret; deleting it only costs a rebuild.
if [ -z "${PUREBOOT_CACHE:-}" ]; then
  if [ "$(id -u)" -eq 0 ]; then PUREBOOT_CACHE=/var/cache/pureboot; else PUREBOOT_CACHE=${XDG_CACHE_HOME:-$HOME/.cache}/pureboot; fi
fi
mkdir -p "$PUREBOOT_LOGS"

log() { printf '%s %s\n' "$(date +%H:%M:%S)" "$*"; }
die() { printf 'pureboot: %s\n' "$*" >&2; exit 1; }

# Finds a JDK >= 21: JAVA_HOME first, then /usr/lib/jvm. Exports JAVA_HOME and PATH.
find_jdk() {
  local candidate version
  for candidate in "${JAVA_HOME:-}" /usr/lib/jvm/*; do
    [ -n "$candidate" ] && [ -x "$candidate/bin/javac" ] || continue
    version=$("$candidate/bin/java" -XshowSettings:properties -version 2>&1 | awk -F' = ' '/java.specification.version/ {print $2}')
    if [ "${version%%.*}" -ge 21 ] 2>/dev/null; then
      export JAVA_HOME=$candidate PATH=$candidate/bin:$PATH
      return 0
    fi
  done
  die "no JDK 21 or newer found in JAVA_HOME or /usr/lib/jvm; install one (e.g. apt-get install openjdk-21-jdk-headless) and retry"
}

# wait_until SECONDS DESCRIPTION COMMAND... : polls COMMAND every half second, bounded in time.
wait_until() {
  local seconds=$1 what=$2; shift 2
  local deadline=$((SECONDS + seconds))
  until "$@" >/dev/null 2>&1; do
    [ $SECONDS -lt $deadline ] || return 1
    sleep 0.5
  done
  log "$what is ready"
}

# Prints the secret kept in $PUREBOOT_VAR/<name> (readable by the owner only), making a random one on
# first use. Keys that seal stored data must outlive restarts: what they sealed opens with no other.
var_secret() {
  local file=$PUREBOOT_VAR/$1
  if [ ! -s "$file" ]; then
    mkdir -p "$PUREBOOT_VAR"
    (umask 077; head -c 32 /dev/urandom | base64 > "$file")
  fi
  cat "$file"
}

port_open() { (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null; }

# Runs a command in the background, detached, with its pid in $PUREBOOT_VAR/NAME.pid.
start_daemon() {
  local name=$1; shift
  local pidfile=$PUREBOOT_VAR/$name.pid
  if [ -f "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null; then
    log "$name already running (pid $(cat "$pidfile"))"
    return 0
  fi
  # A daemon outlives its caller, so it must not keep the caller's open files: a `flock` lock it inherited would
  # stay held for as long as the daemon runs, and a pipe it inherited would never reach end of file.
  (close_inherited_files; exec setsid "$@") >>"$PUREBOOT_LOGS/$name.log" 2>&1 < /dev/null &
  echo $! > "$pidfile"
}

# Closes every file descriptor above stderr of the current (sub)shell.
close_inherited_files() {
  local fd
  for fd in /proc/$BASHPID/fd/*; do
    fd=${fd##*/}
    [ "$fd" -gt 2 ] 2>/dev/null && eval "exec $fd>&-" 2>/dev/null || true
  done
}

# Stops what start_daemon started: TERM, a bounded wait, then KILL. Never touches other processes.
stop_daemon() {
  local name=$1 pidfile=$PUREBOOT_VAR/$1.pid pid
  [ -f "$pidfile" ] || return 0
  pid=$(cat "$pidfile")
  if kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid" 2>/dev/null
    for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
    kill -0 "$pid" 2>/dev/null && kill -KILL "$pid" 2>/dev/null
    log "$name stopped"
  fi
  rm -f "$pidfile"
}
