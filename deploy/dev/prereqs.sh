#!/usr/bin/env bash
# Installs the Debian packages the stack and its tests use, once. Idempotent: a machine that has
# them all is left alone and apt is not even asked.
set -euo pipefail

packages=(
  # PostgreSQL, when none listens on 127.0.0.1:5432 already
  postgresql postgresql-client
  # the one-origin reverse proxy in front of the services
  nginx-light
  # staging storage servers and clients used by storage-service tests
  nfs-ganesha nfs-ganesha-vfs rpcbind tgt libiscsi-bin
  # an sshd for the tests of tgt managed over SSH
  openssh-server openssh-client
  # disk tools the node agent drives, and the filesystems its tests build
  zstd partclone e2fsprogs dosfstools mtools ntfs-3g xfsprogs btrfs-progs fdisk gdisk util-linux
  # LVM physical volumes: the agent copies them raw (its inventory test makes one with pvcreate)
  lvm2
  # what ./pureboot demo drives the API with
  curl jq
  # container images without Docker (./pureboot images) and their smoke test
  mmdebstrap buildah podman skopeo runc
  # the browser the console's end-to-end test drives (playwright-core; no browser download here)
  chromium
  # the PXE boot image (deploy/boot-image/build.sh) and the VMs that boot it (deploy/boot-image/vm-test.sh)
  cpio qemu-system-x86 ipxe-qemu socat
  # UEFI firmware for the VM test of a UEFI boot (vm-test.sh inventory-uefi)
  ovmf
  # the control-plane benchmark's load generator (deploy/bench/control-plane.sh)
  wrk
)

missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "prereqs: missing packages ${missing[*]}; run as root (or install them) and try again" >&2
  exit 1
fi
echo "prereqs: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# policy-rc.d keeps the packages' own services from starting: the scripts start what they need.
printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d
trap 'rm -f /usr/sbin/policy-rc.d' EXIT
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
