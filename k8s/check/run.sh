#!/usr/bin/env bash
# k8s/check: renders every overlay of k8s/ and checks it (schemas with unknown fields caught,
# references, the services' environment and probes, routes of every OpenAPI path), then proves the
# checker on broken fixtures. Needs the services built (their OpenAPI documents), kubectl, nginx, node.
# Usage: k8s/check/run.sh            the checker's tests: every overlay passes, every broken fixture fails
#        k8s/check/run.sh report     only check the overlays and print every finding
set -euo pipefail
cd "$(dirname "$0")"
command -v kubectl >/dev/null || { echo "k8s/check: kubectl is missing (it renders the overlays)" >&2; exit 1; }
command -v nginx >/dev/null || bash ../../deploy/dev/prereqs.sh
[ -d node_modules ] && [ node_modules/.package-lock.json -nt package-lock.json ] || npm ci --no-audit --no-fund --loglevel=error
npx tsc -p .
# generate-secrets.sh keeps what exists and adds what a newer overlay reads (e.g. the lab's gateway-tls).
for overlay in ../overlays/*/; do
  ../generate-secrets.sh "$(basename "$overlay")" >/dev/null
done
if [ "${1:-}" = report ]; then exec node dist/main.js; fi
exec node --test --test-concurrency=1 dist/test/
