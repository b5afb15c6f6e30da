#!/usr/bin/env bash
# Builds the console into frontend/dist (npm ci + vite build), skipped when no source changed since
# the last build. Called by ./pureboot up; the one origin (deploy/dev/proxy.sh) serves dist at /.
set -euo pipefail
cd "$(dirname "$0")"

command -v npm >/dev/null || { echo "console: npm not found (Node 20+ needed); the console is not built" >&2; exit 1; }

sources_hash() {
  find . \( -path ./node_modules -o -path ./dist -o -path ./build-e2e \) -prune -o -type f -print \
    | LC_ALL=C sort | xargs sha256sum | sha256sum | cut -d' ' -f1
}

stamp=dist/.sources-sha256
hash=$(sources_hash)
if [ -f dist/index.html ] && [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$hash" ]; then
  echo "console: unchanged, not rebuilt"
  exit 0
fi
lock_hash=$(sha256sum package-lock.json | cut -d' ' -f1)
if [ ! -f node_modules/.package-lock-sha256 ] || [ "$(cat node_modules/.package-lock-sha256)" != "$lock_hash" ]; then
  npm ci --no-audit --no-fund --loglevel=error
  echo "$lock_hash" > node_modules/.package-lock-sha256
fi
npm run --silent build
echo "$hash" > "$stamp"
