#!/usr/bin/env bash
# Smoke test of the images (./pureboot images first): each service image runs under podman with the
# environment its rendered Deployment gives it (deploy/images/smoke: the lab overlay with the local
# stack's database passwords and broker port), read-only root filesystem, non-root, a memory limit,
# reaches ready, and answers a real API call; then the gateway image with the rendered gateway
# configuration answers the same calls through the one origin and refuses /internal/.
# On one machine the in-cluster names (pureboot-db-rw, pureboot-kafka-bootstrap, the services) point at
# 127.0.0.1 through --add-host, on the host's network: the local broker advertises 127.0.0.1:19092,
# which a bridged container could not reach. Each container gets a port of its own (18180-18183),
# away from ./pureboot up's 8080-8083, and its own Kafka consumer groups.
set -euo pipefail
source "$(dirname "$0")/../dev/lib.sh"
cd "$PUREBOOT_ROOT"
export CONTAINERS_CONF=$PUREBOOT_ROOT/deploy/images/containers.conf
SMOKE=$PUREBOOT_VAR/smoke
RUN_ID=smoke-$$
declare -A PORTS=([storage-service]=18181 [resize-planner-service]=18182 [clone-service]=18183)
declare -A PORT_VARS=([storage-service]=PUREBOOT_STORAGE_PORT [resize-planner-service]=PUREBOOT_PLANNER_PORT [clone-service]=PUREBOOT_CLONE_PORT)
GATEWAY_PORT=18180
GATEWAY_TLS_PORT=18543
HOSTS=(--add-host pureboot-db-rw:127.0.0.1 --add-host pureboot-kafka-bootstrap:127.0.0.1
       --add-host storage-service:127.0.0.1 --add-host resize-planner-service:127.0.0.1
       --add-host clone-service:127.0.0.1 --add-host boot-files:127.0.0.1)

# The local stack of this checkout: its broker's port and database (deploy/dev/lib.sh's defaults, or a worktree's own).
KAFKA_PORT=${PUREBOOT_KAFKA_PORT:-19092}
DB_NAME=${PUREBOOT_DB_NAME:-pureboot}
port_open 127.0.0.1 5432 && port_open 127.0.0.1 "$KAFKA_PORT" || die "smoke: PostgreSQL (5432) and Kafka ($KAFKA_PORT) of the local stack must run"
for p in "${PORTS[@]}" "$GATEWAY_PORT"; do port_open 127.0.0.1 "$p" && die "smoke: port $p is taken"; done
[ -x k8s/check/node_modules/.bin/tsc ] || (cd k8s/check && npm ci --no-audit --no-fund --loglevel=error)
(cd k8s/check && npx tsc -p .)
[ -d k8s/overlays/lab/secrets ] || k8s/generate-secrets.sh lab
mkdir -p "$SMOKE" && chmod 700 "$SMOKE"

started=()
cleanup() {
  local c
  for c in "${started[@]}"; do
    podman logs "$c" > "$PUREBOOT_LOGS/$c.log" 2>&1 || true
    # A container with a restart policy can come back between stop and removal: retry, bounded.
    for _ in 1 2 3; do
      podman rm -f -t 5 "$c" >/dev/null 2>&1 || true
      podman container exists "$c" || break
      sleep 1
    done
  done
}
trap cleanup EXIT

run() { # NAME IMAGE [podman options...]
  local name=$1 image=$2; shift 2
  podman run -d --name "$name" --network host "${HOSTS[@]}" --read-only --tmpfs /tmp:rw,size=64m,mode=1777 \
    --user 10001:10001 --cap-drop ALL --security-opt no-new-privileges --memory 768m "$@" "$image" >/dev/null
  started+=("$name")
}

expect() { # DESCRIPTION EXPECTED-STATUS BODY-REGEX curl-args...: the status, and a body matching the regex
  local what=$1 want=$2 body=$3 got deadline=$((SECONDS + 60)); shift 3
  # Asked again for up to a minute while the answer differs: a service just ready answers its first calls
  # slowly on a loaded machine (an API key's exchange at clone-service has a 5 s timeout).
  while got=$(curl -s -o "$SMOKE/body" -w '%{http_code}' --max-time 10 "$@"); [ "$got" != "$want" ] && [ $SECONDS -lt $deadline ]; do
    sleep 2
  done
  [ "$got" = "$want" ] || die "smoke: $what answered HTTP $got, expected $want: $(head -c 300 "$SMOKE/body")"
  grep -Eq "$body" "$SMOKE/body" || die "smoke: $what answered HTTP $got with a body not matching $body: $(head -c 300 "$SMOKE/body")"
  log "smoke: $what -> HTTP $got"
  passed=$((passed + 1))
}
passed=0

start=$SECONDS
for service in storage-service resize-planner-service clone-service; do
  node k8s/check/dist/env.js deploy/images/smoke "$service" > "$SMOKE/$service.env"
  run "pureboot-$RUN_ID-$service" "pureboot/$service:latest-build" --env-file "$SMOKE/$service.env" \
    --env "${PORT_VARS[$service]}=${PORTS[$service]}" --env QUARKUS_HTTP_HOST=127.0.0.1 \
    --env "PUREBOOT_KAFKA_GROUP_SUFFIX=-$RUN_ID" --env "PUREBOOT_KAFKA_BOOTSTRAP=pureboot-kafka-bootstrap:$KAFKA_PORT" \
    --env "PUREBOOT_DB_NAME=$DB_NAME" --env "PUREBOOT_AUTH_ISSUER_URL=http://clone-service:${PORTS[clone-service]}" \
    --env "PUREBOOT_STORAGE_URL=http://storage-service:${PORTS[storage-service]}" --restart on-failure:3
done
# Ready: the readiness probe answers. Like a Deployment's pod, a service container that exits is
# restarted (--restart on-failure:3: on a loaded machine a first JDBC connection can outlast the pool's
# acquisition timeout); one that exhausted its restarts fails at once rather than at the bound.
gave_up() { [ "$(podman container inspect -f '{{.State.Status}} {{.RestartCount}}' "$1" 2>/dev/null)" = "exited 3" ]; }
ready_or_gave_up() { gave_up "$2" || curl -fsS "http://127.0.0.1:$1/q/health/ready"; }
for service in storage-service resize-planner-service clone-service; do
  wait_until 420 "$service (image) on :${PORTS[$service]} ready or given up" ready_or_gave_up "${PORTS[$service]}" "pureboot-$RUN_ID-$service" \
    && ! gave_up "pureboot-$RUN_ID-$service" \
    || die "smoke: $service exited or was not ready within 420 s; see $PUREBOOT_LOGS/pureboot-$RUN_ID-$service.log"
done
ready=$((SECONDS - start))
ADMIN_KEY=$(cat k8s/overlays/lab/secrets/admin-api-key)
expect "storage-service GET /api/v1/storage-backends" 200 '^\[' -H "Authorization: Bearer $ADMIN_KEY" "http://127.0.0.1:18181/api/v1/storage-backends"
expect "resize-planner-service GET /api/v1/inventories/{unknown}" 404 '"status" *: *404' -H "Authorization: Bearer $ADMIN_KEY" "http://127.0.0.1:18182/api/v1/inventories/no-such-node"
expect "clone-service GET /api/v1/clone-sessions (admin key from the Secret)" 200 '^[[{]' -H "Authorization: Bearer $ADMIN_KEY" "http://127.0.0.1:18183/api/v1/clone-sessions"

# The gateway: the rendered nginx.conf and routes.conf, with the services' smoke ports for 8080.
rm -rf "$SMOKE/gateway" && mkdir -p "$SMOKE/gateway"
node k8s/check/dist/configmap.js deploy/images/smoke gateway-nginx "$SMOKE/gateway"
sed -i -e 's/storage-service:8080/storage-service:18181/' -e 's/resize-planner-service:8080/resize-planner-service:18182/' \
  -e 's/clone-service:8080/clone-service:18183/' -e "s/listen 8080;/listen 127.0.0.1:$GATEWAY_PORT;/" \
  -e "s/listen 8443 ssl;/listen 127.0.0.1:$GATEWAY_TLS_PORT ssl;/" "$SMOKE/gateway/nginx.conf"
# The Secret gateway-tls's place: a throw-away certificate for 127.0.0.1, trusted by this script only.
rm -rf "$SMOKE/gateway-tls" && mkdir -p "$SMOKE/gateway-tls"
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 1 -subj /CN=127.0.0.1 \
  -addext subjectAltName=IP:127.0.0.1 -keyout "$SMOKE/gateway-tls/tls.key" -out "$SMOKE/gateway-tls/tls.crt" 2>/dev/null
chmod -R a+rX "$SMOKE/gateway" "$SMOKE/gateway-tls"
run "pureboot-$RUN_ID-gateway" pureboot/web:latest-build -v "$SMOKE/gateway:/etc/pureboot/gateway:ro" \
  -v "$SMOKE/gateway-tls:/etc/pureboot/tls:ro" \
  --entrypoint '["nginx", "-e", "stderr", "-c", "/etc/pureboot/gateway/nginx.conf"]'
wait_until 30 "gateway (image) on :$GATEWAY_PORT" curl -fsS "http://127.0.0.1:$GATEWAY_PORT/healthz" \
  || die "smoke: the gateway did not start; see $PUREBOOT_LOGS/pureboot-$RUN_ID-gateway.log"
origin=https://127.0.0.1:$GATEWAY_TLS_PORT
tls=(--cacert "$SMOKE/gateway-tls/tls.crt")
expect "origin GET /api/v1/storage-backends" 200 '^\[' "${tls[@]}" -H "Authorization: Bearer $ADMIN_KEY" "$origin/api/v1/storage-backends"
expect "origin GET /api/v1/inventories/{unknown}" 404 '"status" *: *404' "${tls[@]}" -H "Authorization: Bearer $ADMIN_KEY" "$origin/api/v1/inventories/no-such-node"
expect "origin GET /api/v1/clone-sessions" 200 '^[[{]' "${tls[@]}" -H "Authorization: Bearer $ADMIN_KEY" "$origin/api/v1/clone-sessions"
expect "origin GET /internal/v1/staging/{id}/mount (never routed: the origin answers)" 404 '"status":404' "${tls[@]}" "$origin/internal/v1/staging/00000000-0000-0000-0000-000000000000/mount"
expect "plain GET /api/v1/boot/chain.ipxe (iPXE)" 200 '^#!ipxe' "http://127.0.0.1:$GATEWAY_PORT/api/v1/boot/chain.ipxe"
expect "plain GET /api/v1/node/instructions (HTTPS only)" 403 'HTTPS only' "http://127.0.0.1:$GATEWAY_PORT/api/v1/node/instructions"
log "smoke: every image ready in $ready s, all checks passed in $((SECONDS - start)) s"
echo "smoke: $passed passed, 0 failed"
