#!/usr/bin/env bash
# Writes the random secrets an overlay's secretGenerator reads, once: k8s/overlays/<overlay>/secrets/
# (git-ignored, readable by the owner only). Existing files are kept: the sealing keys open what they
# sealed and nothing else, so losing or regenerating them loses the sealed CHAP passwords, SSH keys
# and the direct-mode CA key. Back the folder up like a database.
# Usage: k8s/generate-secrets.sh lab|production
set -euo pipefail
overlay=${1:?usage: generate-secrets.sh lab|production}
dir=$(cd "$(dirname "$0")" && pwd)/overlays/$overlay/secrets
[ -d "$(dirname "$dir")" ] || { echo "generate-secrets: no overlay $overlay" >&2; exit 2; }
mkdir -p "$dir" && chmod 700 "$dir"

# random FILE PREFIX: 32 random bytes, base64 without newline (AES-256 keys), or a token with a prefix.
random() {
  local file=$dir/$1 prefix=${2:-}
  [ -s "$file" ] && return 0
  (umask 077; printf '%s%s' "$prefix" "$(head -c 32 /dev/urandom | base64 | tr -d '\n')" > "$file")
  echo "generate-secrets: wrote $file"
}
random storage-secret-key
random clone-secret-key
random internal-token
# clone-service's first admin API key (operators send it as "Authorization: Bearer <key>").
random admin-api-key pbk_
for service in storage planner clone; do
  random "db-$service-password"
done
