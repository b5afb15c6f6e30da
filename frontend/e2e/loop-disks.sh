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

make_source() { # DEVICE: GPT, ESP (vfat, files), ext4 root (real files), 64 MiB swap
  local dev=$1 mnt esp
  sgdisk --zap-all "$dev" >/dev/null
  sgdisk -n 1:1M:+64M -t 1:ef00 -c "1:EFI System" -n 2:0:-64M -t 2:8300 -c 2:root \
    -n 3:0:0 -t 3:8200 -c 3:swap "$dev" >/dev/null
  partx -u "$dev" 2>/dev/null || true
  for _ in $(seq 1 50); do [ -b "${dev}p3" ] && break; sleep 0.1; done
  [ -b "${dev}p3" ] || { echo "loop-disks: ${dev}p3 did not appear" >&2; exit 1; }
  mkfs.vfat -F 32 -n ESP "${dev}p1" >/dev/null 2>&1
  esp=$(mktemp -d)
  mkdir -p "$esp/EFI/BOOT" "$esp/EFI/debian"
  head -c 1048576 /dev/urandom > "$esp/EFI/BOOT/BOOTX64.EFI"
  cp /etc/os-release "$esp/EFI/debian/os-release.txt"
  mcopy -s -i "${dev}p1" "$esp/EFI" ::/ 2>/dev/null
  rm -rf "$esp"
  mkfs.ext4 -q -F -L root "${dev}p2"
  mkswap -L swap "${dev}p3" >/dev/null
  mnt=$(mktemp -d)
  mount "${dev}p2" "$mnt"
  mkdir -p "$mnt/data"
  tar -C / -cf - usr/share/doc 2>/dev/null | tar -C "$mnt/data" -xf - || true
  head -c $((48 * MIB)) /dev/urandom > "$mnt/data/random.bin"
  umount "$mnt"
  rmdir "$mnt"
}

case $command in
  create)
    source_mib=${3:?SOURCE-MIB is required}
    [ "$(id -u)" -eq 0 ] || { echo "loop-disks: needs root (loop devices, mounts)" >&2; exit 1; }
    mkdir -p "$DIR"
    source=$(attach "$DIR/source.img" "$source_mib")
    small=$(attach "$DIR/small.img" $((source_mib * 6 / 10)))
    large=$(attach "$DIR/large.img" $((source_mib * 3 / 2)))
    make_source "$source"
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
