#!/usr/bin/env bash
# The console's end-to-end test, for ./pureboot test (after the Maven build: it runs the built jars).
# Builds the console, starts the e2e stack (stack.sh: own ports, shared PostgreSQL/Kafka/NFS),
# runs console.e2e.mjs in Chromium and stops what it started. Needs /usr/bin/chromium (prereqs.sh).
set -euo pipefail
E2E_DIR=$(cd "$(dirname "$0")" && pwd)
FRONTEND=$(cd "$E2E_DIR/.." && pwd)
export PUREBOOT_E2E_VAR=${PUREBOOT_E2E_VAR:-$FRONTEND/build-e2e/var}
BASE=${PUREBOOT_E2E_PORT:-18080}
TLS_PORT=${PUREBOOT_E2E_TLS_PORT:-18443}

[ -x "${PUREBOOT_CHROMIUM:-/usr/bin/chromium}" ] || { echo "console e2e: no Chromium at /usr/bin/chromium (deploy/dev/prereqs.sh installs it)" >&2; exit 1; }
bash "$FRONTEND/build.sh"
(cd "$FRONTEND" && npm test --silent)
if [ "${PUREBOOT_E2E_KEEP_STACK:-0}" != 1 ]; then trap 'bash "$E2E_DIR/stack.sh" stop' EXIT; fi
bash "$E2E_DIR/stack.sh" start
# The committed API types must match what the services document now.
(cd "$FRONTEND" && PUREBOOT_STORAGE_URL=http://127.0.0.1:$((BASE + 1)) PUREBOOT_PLANNER_URL=http://127.0.0.1:$((BASE + 2)) \
  PUREBOOT_CLONE_URL=http://127.0.0.1:$((BASE + 3)) node scripts/generate-api.mjs --check)
PUREBOOT_E2E_ADMIN_KEY=pbk_$(tr -d '/+=\n' < "$PUREBOOT_E2E_VAR/console-e2e-admin-key") \
NODE_EXTRA_CA_CERTS="$PUREBOOT_E2E_VAR/ca/ca.pem" \
PUREBOOT_E2E_URL=https://127.0.0.1:$TLS_PORT node "$E2E_DIR/console.e2e.mjs"
