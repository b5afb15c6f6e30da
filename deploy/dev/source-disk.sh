# Sourced: the source disk the demo, the console's e2e test and the VM tests clone, made one way.
#
# make_source_disk DEVICE ESP-MIB SWAP-MIB RANDOM-MIB PATH...
#   DEVICE (a loop device attached with -P) becomes a GPT disk of three partitions:
#   1. an ESP of ESP-MIB (FAT32 "ESP") holding EFI/BOOT/BOOTX64.EFI (1 MiB of random bytes standing in for a boot
#      loader) and EFI/debian/os-release.txt;
#   2. an ext4 root ("root") over the rest, holding data/ with a copy of each PATH (relative to /, missing ones
#      skipped) and data/random.bin of RANDOM-MIB random bytes (nothing for zstd to win);
#   3. swap ("swap") of SWAP-MIB at the end.
# Needs root, sgdisk, partx, mkfs.vfat, mtools, mkfs.ext4, mkswap. This host runs no udev: the partition nodes are
# made with partx and waited for.
make_source_disk() {
  local dev=$1 esp_mib=$2 swap_mib=$3 random_mib=$4 mnt esp
  shift 4
  sgdisk --zap-all "$dev" >/dev/null
  sgdisk -n "1:1M:+${esp_mib}M" -t 1:ef00 -c "1:EFI System" -n "2:0:-${swap_mib}M" -t 2:8300 -c 2:root \
    -n 3:0:0 -t 3:8200 -c 3:swap "$dev" >/dev/null
  partx -u "$dev" 2>/dev/null || true
  for _ in $(seq 1 50); do [ -b "${dev}p3" ] && break; sleep 0.1; done
  [ -b "${dev}p3" ] || { echo "source disk: ${dev}p3 did not appear" >&2; return 1; }
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
  (cd / && for path in "$@"; do [ -e "$path" ] && echo "$path"; done) \
    | tar -C / -cf - -T - 2>/dev/null | tar -C "$mnt/data" -xf - || true
  head -c $((random_mib << 20)) /dev/urandom > "$mnt/data/random.bin"
  umount "$mnt"
  rmdir "$mnt"
}
