#!/usr/bin/env bash
# The CA initrd: a tiny cpio archive holding only etc/pureboot/ca.pem, the controller's CA certificate, which the
# agent trusts for the node API (pureboot.ca). iPXE loads it beside the boot image (initrd --name ca.img) and Linux
# unpacks both into one root. Kept apart from the image so that the image's cache ($PUREBOOT_CACHE/boot-image, keyed by its
# inputs' hash, ~20 minutes to rebuild) stays valid when the CA changes, and one image serves every site.
# Rebuilt only when the certificate changed. Usage: ca-initrd.sh CA.pem OUTPUT.img
set -euo pipefail

CA=${1:?usage: ca-initrd.sh CA.pem OUTPUT.img}
OUT=${2:?usage: ca-initrd.sh CA.pem OUTPUT.img}
[ -s "$CA" ] || { echo "ca-initrd.sh: no CA certificate at $CA" >&2; exit 1; }
openssl x509 -in "$CA" -noout 2>/dev/null || { echo "ca-initrd.sh: $CA is not a PEM certificate" >&2; exit 1; }

STAMP="$OUT.sha256"
WANT=$(sha256sum "$CA" | cut -d' ' -f1)
if [ -s "$OUT" ] && [ "$(cat "$STAMP" 2>/dev/null)" = "$WANT" ]; then
  exit 0
fi
ROOT=$(mktemp -d)
trap 'rm -rf "$ROOT"' EXIT
install -D -m 0644 "$CA" "$ROOT/etc/pureboot/ca.pem"
# Fixed owner and times: the same certificate makes the same archive.
touch -d @0 "$ROOT/etc/pureboot/ca.pem" "$ROOT/etc/pureboot" "$ROOT/etc"
(cd "$ROOT" && printf 'etc\netc/pureboot\netc/pureboot/ca.pem\n' \
  | cpio --quiet -o -H newc -R 0:0 --reproducible 2>/dev/null > "$OUT.tmp" \
  || printf 'etc\netc/pureboot\netc/pureboot/ca.pem\n' | cpio --quiet -o -H newc -R 0:0 > "$OUT.tmp")
mv "$OUT.tmp" "$OUT"
echo "$WANT" > "$STAMP"
