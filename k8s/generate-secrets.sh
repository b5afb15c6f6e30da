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

# random FILE [PREFIX]: 32 random bytes in base64 without a newline. AES-256 keys keep standard base64
# (the services decode it so); tokens and passwords, which travel in headers and URLs, use base64url.
random() {
  local file=$dir/$1 prefix=${2:-} alphabet=${3:-+/}
  [ -s "$file" ] && return 0
  local value
  value=$(head -c 32 /dev/urandom | base64 | tr -d '\n')
  [ "$alphabet" = +/ ] || value=$(printf '%s' "$value" | tr -d = | tr +/ "$alphabet")
  (umask 077; printf '%s%s' "$prefix" "$value" > "$file")
  echo "generate-secrets: wrote $file"
}
random storage-secret-key
random clone-secret-key
random internal-token '' -_
# clone-service's first admin API key (operators send it as "Authorization: Bearer <key>").
random admin-api-key pbk_ -_
for service in storage planner clone; do
  random "db-$service-password" '' -_
done

# The lab gateway's certificate (Secret gateway-tls): a lab CA of its own and a certificate for the lab host name,
# made once like the rest. Production takes its certificate from cert-manager (overlays/production).
if [ "$overlay" = lab ] && [ ! -s "$dir/gateway-tls.crt" ]; then
  host=${PUREBOOT_LAB_HOST:-pureboot.lab.example}
  (umask 077
   openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 3650 -keyout "$dir/lab-ca.key" \
     -out "$dir/lab-ca.pem" -subj "/CN=PureBoot Clone lab CA" \
     -addext "basicConstraints=critical,CA:TRUE,pathlen:0" -addext "keyUsage=critical,keyCertSign,cRLSign" 2>/dev/null
   openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$dir/gateway-tls.key" \
     -out "$dir/gateway-tls.csr" -subj "/CN=$host" 2>/dev/null
   printf 'basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth\nsubjectAltName=DNS:%s\n' \
     "$host" > "$dir/gateway-tls.ext"
   openssl x509 -req -in "$dir/gateway-tls.csr" -CA "$dir/lab-ca.pem" -CAkey "$dir/lab-ca.key" -CAcreateserial \
     -days 397 -out "$dir/gateway-tls.crt" -extfile "$dir/gateway-tls.ext" 2>/dev/null
   rm -f "$dir/gateway-tls.csr" "$dir/gateway-tls.ext")
  echo "generate-secrets: wrote $dir/gateway-tls.crt (for $host, issued by $dir/lab-ca.pem)"
fi
