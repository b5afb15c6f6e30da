#!/usr/bin/env bash
# The development CA: a CA key and certificate, and the one origin's server certificate for 127.0.0.1, localhost and
# 10.0.2.2 (the host as a qemu user-net VM sees it), under .var/ca; plus the CA initrd nodes boot with
# (deploy/boot-image/ca-initrd.sh). Idempotent: an existing CA is kept (nodes and browsers that trust it keep working);
# the server certificate is remade only when it is missing, expires within 30 days or lacks a name.
# Development only: in Kubernetes the certificate comes from the cluster (docs/tls-and-boot.md).
# Usage: ca.sh [ensure]   prints nothing but log lines; the files are
#   .var/ca/ca.pem ca.key server.pem server.key pureboot-ca.img
set -euo pipefail
source "$(dirname "$0")/lib.sh"

CA_HOME=${PUREBOOT_CA_HOME:-$PUREBOOT_VAR/ca}
NAMES="IP:127.0.0.1,DNS:localhost,IP:10.0.2.2${PUREBOOT_TLS_EXTRA_NAMES:+,$PUREBOOT_TLS_EXTRA_NAMES}"

ensure_ca() {
  if [ -s "$CA_HOME/ca.pem" ] && [ -s "$CA_HOME/ca.key" ]; then
    return
  fi
  log "making the development CA in $CA_HOME"
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 3650 \
    -keyout "$CA_HOME/ca.key" -out "$CA_HOME/ca.pem" -subj "/CN=PureBoot Clone development CA" \
    -addext "basicConstraints=critical,CA:TRUE,pathlen:0" -addext "keyUsage=critical,keyCertSign,cRLSign" \
    2>/dev/null
  chmod 600 "$CA_HOME/ca.key"
  rm -f "$CA_HOME/server.pem"
}

server_is_current() {
  [ -s "$CA_HOME/server.pem" ] && [ -s "$CA_HOME/server.key" ] || return 1
  openssl x509 -in "$CA_HOME/server.pem" -noout -checkend $((30 * 86400)) >/dev/null || return 1
  openssl verify -CAfile "$CA_HOME/ca.pem" "$CA_HOME/server.pem" >/dev/null 2>&1 || return 1
  local have
  have=$(openssl x509 -in "$CA_HOME/server.pem" -noout -ext subjectAltName 2>/dev/null | tail -n +2 | tr -d ' ')
  local name
  for name in ${NAMES//,/ }; do
    case "$name" in
      IP:*) grep -q "IPAddress:${name#IP:}\(,\|$\)" <<<"$have" || return 1 ;;
      DNS:*) grep -q "DNS:${name#DNS:}\(,\|$\)" <<<"$have" || return 1 ;;
    esac
  done
}

ensure_server() {
  server_is_current && return
  log "making the one origin's server certificate ($NAMES)"
  openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$CA_HOME/server.key" \
    -out "$CA_HOME/server.csr" -subj "/CN=PureBoot Clone development origin" 2>/dev/null
  printf 'basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth\nsubjectAltName=%s\n' \
    "$NAMES" > "$CA_HOME/server.ext"
  openssl x509 -req -in "$CA_HOME/server.csr" -CA "$CA_HOME/ca.pem" -CAkey "$CA_HOME/ca.key" -CAcreateserial \
    -days 397 -out "$CA_HOME/server.pem" -extfile "$CA_HOME/server.ext" 2>/dev/null
  chmod 600 "$CA_HOME/server.key"
  rm -f "$CA_HOME/server.csr" "$CA_HOME/server.ext"
}

case "${1:-ensure}" in
  ensure)
    command -v openssl >/dev/null || die "ca.sh needs openssl"
    mkdir -p "$CA_HOME"
    # readable by nginx workers for the CA initrd; the two keys stay 0600 (nginx reads them as root at start)
    chmod 755 "$CA_HOME"
    ensure_ca
    ensure_server
    bash "$PUREBOOT_ROOT/deploy/boot-image/ca-initrd.sh" "$CA_HOME/ca.pem" "$CA_HOME/pureboot-ca.img"
    ;;
  *) die "usage: ca.sh [ensure]" ;;
esac
