#!/usr/bin/env bash
# The console e2e's disks, as ./pureboot demo makes them (deploy/dev/demo.sh): loop devices over sparse files in DIR.
# A GPT source (ESP with files, ext4 root with real files, swap) and two empty targets of about 60 % and 150 % of its
# size. Every device it attaches is written to DIR/loops with its backing file, so that `remove` detaches exactly those
# (and only while they still hold that file) even after a crash. Needs root.
# Usage: loop-disks.sh create DIR SOURCE-MIB   (prints: source=/dev/loopN small=... large=...)
#        loop-disks.sh remove DIR
set -euo pipefail
command=${1:?usage: loop-disks.sh create DIR SOURCE-MIB | remove DIR}
DIR=${2:?DIR is required}
MIB=$((1 << 20))

attach() { # FILE MIB -> prints the loop device, recorded in DIR/loops
  truncate -s "$(($2 * MIB))" "$1"
  local device
  device=$(losetup -f --show -P "$1")
  echo "$device $(realpath "$1")" >> "$DIR/loops"
  echo "$device"
}

# GPT: a 64 MiB ESP with files, an ext4 root with real files and 48 MiB of random bytes, 64 MiB swap
source "$(dirname "$0")/../../deploy/dev/source-disk.sh"

case $command in
  create)
    source_mib=${3:?SOURCE-MIB is required}
    [ "$(id -u)" -eq 0 ] || { echo "loop-disks: needs root (loop devices, mounts)" >&2; exit 1; }
    mkdir -p "$DIR"
    source=$(attach "$DIR/source.img" "$source_mib")
    small=$(attach "$DIR/small.img" $((source_mib * 6 / 10)))
    large=$(attach "$DIR/large.img" $((source_mib * 3 / 2)))
    make_source_disk "$source" 64 64 48 usr/share/doc
    echo "source=$source small=$small large=$large"
    ;;
  remove)
    if [ -f "$DIR/loops" ]; then
      while read -r device file; do
        # Only while it is still ours: a device freed after a crash may have been attached since by someone else.
        [ "$(losetup -nO BACK-FILE "$device" 2>/dev/null | sed 's/ (deleted)$//')" = "$file" ] || continue
        for mount in $(awk -v d="$device" 'index($1, d) == 1 { print $2 }' /proc/mounts); do umount "$mount" || true; done
        losetup -d "$device" 2>/dev/null || true
      done < "$DIR/loops"
      rm -f "$DIR/loops"
    fi
    rm -f "$DIR"/*.img
    ;;
  *) echo "usage: loop-disks.sh create DIR SOURCE-MIB | remove DIR" >&2; exit 2 ;;
esac
