# Sourced: follow_progress prints a session's live progress as the console shows it, one line per change.
# Shared by the demo (deploy/dev/demo.sh) and the VM demo (deploy/boot-image/vm-test.sh with PUREBOOT_VM_PROGRESS=1).
# The caller defines say (a timestamped line).

# follow_progress URL NAMES-JSON [curl options...]: URL is the session's SSE stream
# (/api/v1/clone-sessions/{id}/progress); NAMES-JSON maps node ids to the names printed for them.
follow_progress() {
  local url=$1 names=$2
  shift 2
  curl -sN "$@" -H 'Accept: text/event-stream' "$url" 2>/dev/null \
    | sed -u -n 's/^data://p' \
    | jq --unbuffered -r --argjson names "$names" '
        def mib: (. / 1048576 | floor | tostring) + " MiB";
        def rate: (. / 1048576 | floor | tostring) + " MiB/s";
        def who: $names[.node_id] // .node_id[0:8];
        (.id[0:8]) as $s
        | if .phase == "uploading" and (.source.bytes_done // 0) > 0 then
            "session \($s) \(.phase | . + "            " | .[0:12]) source \(.source.phase) \(.source.bytes_done | mib) / \(.source.bytes_total | mib)  \(.source.rate_bytes_per_second | rate)"
          elif .phase == "downloading" then
            "session \($s) \(.phase | . + "            " | .[0:12]) " + ([.targets[] | "\(who) \(.state)/\(.phase // "-") \(.bytes_done | mib) / \(.bytes_total | mib) \(.rate_bytes_per_second | rate)"] | join(", "))
          else
            "session \($s) \(.phase | . + "            " | .[0:12]) state \(.state), staging \(.staging_status // "-")"
          end' \
    | while IFS= read -r line; do
        [ "$line" = "${last:-}" ] || say "$line"
        last=$line
      done
}

# stop_following PID: ends a follow_progress started with & (the pipeline's processes are that subshell's children).
stop_following() {
  [ -n "${1:-}" ] || return 0
  pkill -P "$1" 2>/dev/null || true
  kill "$1" 2>/dev/null || true
}
