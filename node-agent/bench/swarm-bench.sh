#!/usr/bin/env bash
# Swarm benchmark (docs/swarm.md): one direct source and 1, 4, 16 targets, each a real agent JVM in its own network
# namespace, every node's link shaped with tc (htb, the same rate up and down, the source's too), all joined by a
# bridge in a namespace of its own. For each number of targets it times plain fan-out (every target pulls from the
# source) and the swarm (targets also serve each other), from the moment all targets are ready until the last one has
# restored, and checks every target byte for byte against the source. Prints a table side by side.
# Needs root. Usage:
#   node-agent/bench/swarm-bench.sh [disk-MiB=32] [rate=20mbit] [targets="1 4 16"] [chunk-MiB=1] [workers=16]
# (workers: chunks each swarm target restores at once, 16 as in the agent; fan-out targets restore 4 at once, as the
# agent's direct targets do: 16 each would open 256 connections to the source at 16 targets.)
set -euo pipefail
shopt -s nullglob
disk_mib="${1:-32}"
rate="${2:-20mbit}"
target_counts="${3:-1 4 16}"
chunk_mib="${4:-1}"
workers="${5:-16}"
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
jar="$root/node-agent/target/node-agent-0.1.0-SNAPSHOT-all.jar"
if [ ! -f "$jar" ] || [ -n "$(find "$root/node-agent/src/main" -newer "$jar" -print -quit)" ]; then
  (cd "$root" && ./mvnw -o -q -pl node-agent -am package -DskipTests)
fi
# SWARM_BENCH_JAVA_OPTS: more JVM options for every node (e.g. -XX:+DumpPerfMapAtExit to profile with perf).
# The heap is committed and touched at start: growing it in the timed part zeroed pages there (perf: 5 % of the
# 16-target run's CPU in the kernel's clear_page for the JVMs).
# shellcheck disable=SC2206
java=("$JAVA_HOME/bin/java" -Xms256m -Xmx256m -XX:+AlwaysPreTouch -XX:+UseSerialGC --enable-native-access=ALL-UNNAMED ${SWARM_BENCH_JAVA_OPTS:-}
  -cp "$jar" io.pureboot.clone.agent.bench.SwarmBenchNode)
max_targets=0
for n in $target_counts; do [ "$n" -gt "$max_targets" ] && max_targets="$n"; done

work="$(mktemp -d /tmp/pureboot-swarm-bench.XXXXXX)"
# Per target: done at (epoch ms), restore ms, chunks from peers, from the source, peers dropped, why from the source.
details="${SWARM_BENCH_DETAILS:-/tmp/swarm-bench-details.txt}"
: > "$details"
namespaces=()
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  for ns in "${namespaces[@]}"; do ip netns del "$ns" 2>/dev/null || true; done
  [ -n "${SWARM_BENCH_KEEP:-}" ] && cp -r "$work" /tmp/swarm-bench-kept || true
  rm -rf "$work"
}
trap cleanup EXIT

# --- network: a bridge in pbs-hub, one namespace per node, each link shaped both ways ---
shape() { # namespace device
  ip netns exec "$1" tc qdisc add dev "$2" root handle 1: htb default 10 r2q 1000
  ip netns exec "$1" tc class add dev "$2" parent 1: classid 1:1 htb rate "$rate" ceil "$rate"
  # Bulk: a short queue (about 0.1 s at 20 Mbit/s), as a switch port has.
  ip netns exec "$1" tc class add dev "$2" parent 1:1 classid 1:10 htb rate "$rate" ceil "$rate" prio 1
  ip netns exec "$1" tc qdisc add dev "$2" parent 1:10 bfifo limit 262144
  # Small packets (IP length < 1 KiB: SYNs, ACKs, requests, 404s, have maps) go first, within the same rate, as a
  # host's fq_codel would let a sparse flow pass (this kernel has neither fq_codel nor sfq). Without it a full bulk
  # queue tail-drops SYN-ACKs: connections to the source and to peers timed out for minutes, in both modes.
  ip netns exec "$1" tc class add dev "$2" parent 1:1 classid 1:5 htb rate 1mbit ceil "$rate" prio 0 quantum 1514
  ip netns exec "$1" tc qdisc add dev "$2" parent 1:5 pfifo limit 1000
  ip netns exec "$1" tc filter add dev "$2" parent 1: protocol ip prio 1 u32 match u16 0x0000 0xfc00 at 2 flowid 1:5
}
ip netns add pbs-hub; namespaces+=(pbs-hub)
ip -n pbs-hub link add br0 type bridge
ip -n pbs-hub link set br0 up
node_net() { # name number
  local ns="pbs-$1"
  ip netns add "$ns"; namespaces+=("$ns")
  ip link add "pv$2" netns "$ns" type veth peer name "ph$2" netns pbs-hub
  ip -n "$ns" link set lo up
  ip -n "$ns" addr add "10.77.0.$2/24" dev "pv$2"
  ip -n "$ns" link set "pv$2" up
  ip -n pbs-hub link set "ph$2" master br0 up
  shape "$ns" "pv$2"      # upload
  shape pbs-hub "ph$2"    # download
}
node_net src 1
for i in $(seq 1 "$max_targets"); do node_net "t$i" $((10 + i)); done

# --- certificates of the session, as the clone-service's CA issues them ---
certs="$work/certs"; mkdir -p "$certs"
session=5e55a0b1-0000-4000-8000-00000000be0c
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$certs/ca.key" -out "$certs/ca.pem" \
  -days 1 -subj /CN=bench-ca 2>/dev/null
issue() { # name role [ip]
  openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$certs/$1.key" -out "$certs/$1.csr" \
    -subj "/CN=$1" 2>/dev/null
  printf 'basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth,clientAuth\nsubjectAltName=URI:urn:pureboot:session:%s:%s:%s%s\n' \
    "$session" "$2" "$1" "${3:+,IP:$3}" > "$certs/$1.ext"
  openssl x509 -req -in "$certs/$1.csr" -CA "$certs/ca.pem" -CAkey "$certs/ca.key" -CAcreateserial -days 1 \
    -out "$certs/$1.pem" -extfile "$certs/$1.ext" 2>/dev/null
}
issue source source 10.77.0.1
for i in $(seq 1 "$max_targets"); do issue "t$i" target; done

# --- the source disk (random bytes: nothing for zstd to win) and the source ---
openssl rand -out "$work/source.img" $((disk_mib << 20))
ip netns exec pbs-src "${java[@]}" role=source disk="$work/source.img" listen=10.77.0.1:7443 certs="$certs" \
  chunk-mib="$chunk_mib" > "$work/source.log" 2>&1 &
pids+=($!)
for _ in $(seq 1 600); do grep -q "listening" "$work/source.log" && break; sleep 0.1; done
grep -q "listening" "$work/source.log" || { cat "$work/source.log"; exit 1; }

now_ms() { date +%s%3N; }
# The whole machine's busy time so far, in clock ticks (user, nice, system, irq, softirq).
machine_busy() { awk '/^cpu / { print $2 + $3 + $4 + $7 + $8 }' /proc/stat; }
await_files() { # directory suffixes count seconds
  # Globs and builtins only, and a sleep a fifth of a second: a find per suffix every tenth of a second took 0.6
  # of the 2 cores (perf) away from the nodes it was waiting for. The times come from the nodes' own files.
  local deadline=$((SECONDS + $4)) suffix files
  while :; do
    files=()
    for suffix in $2; do files+=("$1"/*."$suffix"); done
    [ "${#files[@]}" -lt "$3" ] || return 0
    [ "$SECONDS" -lt "$deadline" ] || { echo "timed out waiting for $3 .$2 files in $1" >&2; return 1; }
    sleep 0.2
  done
}

# One run: prints "seconds from_peers from_origin dropped".
run() { # targets swarm [label]
  local n="$1" swarm="$2" dir="$work/run-$1-$2${3:+-$3}" run_pids=()
  mkdir -p "$dir"
  local peers=""
  for i in $(seq 1 "$n"); do peers="${peers:+$peers,}t$i@10.77.0.$((10 + i)):7444"; done
  for i in $(seq 1 "$n"); do
    truncate -s 0 "$dir/t$i.img"; truncate -s $((disk_mib << 20)) "$dir/t$i.img"
    local profile=()
    # SWARM_BENCH_JFR=FILE: a flight recording of the first target of every swarm run (to FILE-<targets>.jfr)
    [ -n "${SWARM_BENCH_JFR:-}" ] && [ "$i" = 1 ] && [ "$swarm" = true ] \
      && profile=(-XX:StartFlightRecording=filename="${SWARM_BENCH_JFR}-$n.jfr",settings=profile)
    ip netns exec "pbs-t$i" "${java[0]}" "${profile[@]}" "${java[@]:1}" role=target id="t$i" disk="$dir/t$i.img" source=10.77.0.1:7443 \
      listen="10.77.0.$((10 + i)):7444" certs="$certs" run="$dir" swarm="$swarm" peers="$peers" workers="$([ "$swarm" = true ] && echo "$workers" || echo 4)" \
      > "$dir/t$i.log" 2>&1 &
    run_pids+=($!); pids+=($!)
  done
  await_files "$dir" ready "$n" 300
  local go machine_before; go="$(now_ms)"; machine_before="$(machine_busy)"
  touch "$dir/go"
  await_files "$dir" "done failed" "$n" 1800
  local agents_cpu machine_cpu hz; hz="$(getconf CLK_TCK)"
  machine_cpu="$(awk -v a="$(machine_busy)" -v b="$machine_before" -v hz="$hz" 'BEGIN { printf "%.1f", (a - b) / hz }')"
  touch "$dir/stop"
  local failed=("$dir"/*.failed)
  if [ "${#failed[@]}" -gt 0 ]; then
    for file in "$dir"/*.failed; do echo "$(basename "$file" .failed) of run $n/$swarm failed: $(cat "$file")" >&2; done
    exit 1
  fi
  for pid in "${run_pids[@]}"; do wait "$pid"; done
  # each target's CPU time from go to the end of the timed part (RUN/ID.cpu, milliseconds)
  agents_cpu="$(cat "$dir"/*.cpu | awk '{ s += $1 } END { printf "%.1f", s / 1000 }')"
  for i in $(seq 1 "$n"); do
    cmp -s "$work/source.img" "$dir/t$i.img" || { echo "t$i of run $n/$swarm differs from the source" >&2; exit 1; }
  done
  cat "$dir"/*.done | awk -v go="$go" '{ if ($1 > last) last = $1; peers += $3; origin += $4; dropped += $5 }
    END { printf "%.1f %d %d %d\n", (last - go) / 1000, peers, origin, dropped }'
  echo "$n targets, swarm=$swarm: CPU s in the timed part: targets $agents_cpu, machine $machine_cpu;" \
    "TCP connections the targets' namespaces opened so far: $(for i in $(seq 1 "$n"); do
      ip netns exec "pbs-t$i" awk '/^Tcp: [0-9]/ { print $6 }' /proc/net/snmp; done | awk '{ s += $1 } END { print s }')" \
    >> "$details"
  for file in "$dir"/*.done; do echo "$n targets, swarm=$swarm, $(basename "$file" .done): $(cat "$file")"; done \
    >> "$details"
  rm -f "$dir"/*.img
}

echo "disk ${disk_mib} MiB of random bytes, ${chunk_mib} MiB chunks, every link ${rate} up and down, ${workers} chunks" \
  "at once per swarm target (4 per fan-out target); $(nproc) cores"
printf '| targets | fan-out s | swarm s | swarm ÷ swarm with 1 | chunks from the source, fan-out | swarm | from peers |\n'
printf '|---:|---:|---:|---:|---:|---:|---:|\n'
# A first run, not printed, so that the source's JVM has compiled its code before any timed run (each target
# rehearses its own before it says ready).
run 1 false warm-up > /dev/null
one=""
for n in $target_counts; do
  fan_s=skipped fan_origin=0
  if [ -z "${SWARM_BENCH_SWARM_ONLY:-}" ]; then
    run "$n" false > "$work/result"
    read -r fan_s _ fan_origin _ < "$work/result"
  fi
  run "$n" true > "$work/result"
  read -r swarm_s swarm_peers swarm_origin swarm_dropped < "$work/result"
  [ -n "$one" ] || one="$swarm_s"
  printf '| %d | %s | %s | %s | %d | %d | %d |\n' "$n" "$fan_s" "$swarm_s" \
    "$(awk -v a="$swarm_s" -v b="$one" 'BEGIN { printf "%.2f", a / b }')" "$fan_origin" "$swarm_origin" "$swarm_peers"
  [ "$swarm_dropped" -eq 0 ] || echo "  ($swarm_dropped peers dropped in the swarm run with $n targets)"
done
