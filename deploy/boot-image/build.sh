#!/usr/bin/env bash
# Builds the PXE boot image: Debian's kernel (vmlinuz) and an initramfs holding a Debian userland
# (mmdebstrap --variant=essential plus the tools the agent drives), the kernel modules a node needs,
# a jlinked Java runtime, the agent's fat jar and the mode dispatcher as /init (deploy/boot-image/init).
#
# The result is cached under $PUREBOOT_VAR/boot-image/<hash of the inputs>/ and rebuilt only when an
# input changes: this script, init, packages.list, modules.list, the candidate versions of the Debian
# packages, the agent jar and the JDK's release. $PUREBOOT_VAR/boot-image/current points at the last
# build; the proxy serves it as /boot/ (deploy/dev/proxy.sh).
#
# Usage: build.sh   (root; the agent jar must be built: ./mvnw -pl node-agent -am package)
# Prints the image directory on its last line.
set -euo pipefail
export PATH=$PATH:/usr/sbin:/sbin
HERE=$(cd "$(dirname "$0")" && pwd)
source "$HERE/../dev/lib.sh"

SUITE=bookworm
MIRROR=${PUREBOOT_DEBIAN_MIRROR:-http://deb.debian.org/debian}
BUDGET_BYTES=$((100 * 1024 * 1024))
# A fixed time stamp for every file in the archive, so that the same inputs give the same bytes.
export SOURCE_DATE_EPOCH=${SOURCE_DATE_EPOCH:-1735689600}

[ "$(id -u)" -eq 0 ] || die "boot image: run as root (mmdebstrap, chroot and device nodes need it)"
find_jdk
for tool in mmdebstrap cpio zstd; do
  command -v "$tool" >/dev/null || bash "$HERE/../dev/prereqs.sh"
done

# The Debian userland is the slow part (a download of ~60 MB of packages): it is cached on its own,
# keyed by the package list and versions, so that a new agent jar or init rebuilds in seconds.
userland() {
  USERLAND_OPTIONS=(--variant=essential --mode=root --format=tar
    --include="$(IFS=,; echo "${PACKAGES[*]}")"
    # Documentation, manuals and translations are never read on a node: dpkg does not even unpack them.
    --dpkgopt='path-exclude=/usr/share/man/*' --dpkgopt='path-exclude=/usr/share/doc/*'
    --dpkgopt='path-include=/usr/share/doc/*/copyright' --dpkgopt='path-exclude=/usr/share/info/*'
    --dpkgopt='path-exclude=/usr/share/locale/*' --dpkgopt='path-exclude=/usr/share/lintian/*'
    --dpkgopt='path-exclude=/usr/share/bash-completion/*' --dpkgopt='path-exclude=/usr/share/zsh/*')
  USERLAND_HASH=$({ echo "$SUITE $MIRROR ${USERLAND_OPTIONS[*]}"
    apt-cache policy "${PACKAGES[@]}" | awk '/^[a-z0-9]/ {p=$1} /Candidate:/ {print p, $2}'; } | sha256sum | cut -c1-16)
  USERLAND=$CACHE/userland-$USERLAND_HASH.tar
  if [ ! -s "$USERLAND" ]; then
    log "userland: mmdebstrap $SUITE (${#PACKAGES[@]} packages)"
    mkdir -p "$CACHE"
    mmdebstrap --quiet "${USERLAND_OPTIONS[@]}" "$SUITE" "$USERLAND.partial" "$MIRROR" >"$WORK/mmdebstrap.log" 2>&1 \
      || { tail -20 "$WORK/mmdebstrap.log" >&2; rm -f "$USERLAND.partial"; die "boot image: mmdebstrap failed"; }
    mv "$USERLAND.partial" "$USERLAND"
    # older userlands are of no use any more
    find "$CACHE" -maxdepth 1 -name 'userland-*.tar' ! -name "$(basename "$USERLAND")" -delete
  fi
}

mapfile -t PACKAGES < <(grep -v '^\s*#' "$HERE/packages.list" | tr -s ' \t' '\n' | grep -v '^$')
CACHE=$PUREBOOT_VAR/boot-image
if [ "${1:-}" = --userland ]; then
  WORK=$(mktemp -d "${TMPDIR:-/tmp}/pureboot-boot-image.XXXXXX")
  trap 'rm -rf "$WORK"' EXIT
  userland
  echo "$USERLAND"
  exit 0
fi

AGENT_JAR=$(ls "$PUREBOOT_ROOT"/node-agent/target/node-agent-*-all.jar 2>/dev/null | head -1 || true)
[ -f "$AGENT_JAR" ] || die "boot image: no agent jar; build it first: ./mvnw -B -pl node-agent -am package -DskipTests"

# The kernel: the flavour the metapackage currently points at.
KERNEL_PACKAGE=$(apt-cache depends linux-image-amd64 | awk '/Depends: linux-image-[0-9]/ {print $2; exit}')
[ -n "$KERNEL_PACKAGE" ] || die "boot image: apt knows no linux-image-amd64; run apt-get update"

inputs_hash() {
  {
    sha256sum "$HERE/build.sh" "$HERE/init" "$HERE/udhcpc.script" "$HERE/packages.list" "$HERE/modules.list" \
      "$HERE/pureboot-agent" | awk '{print $1}'
    sha256sum "$AGENT_JAR" | awk '{print $1}'
    echo "$SUITE $MIRROR $KERNEL_PACKAGE"
    apt-cache policy "$KERNEL_PACKAGE" "${PACKAGES[@]}" | awk '/^[a-z0-9]/ {p=$1} /Candidate:/ {print p, $2}'
    cat "$JAVA_HOME/release"
  } | sha256sum | cut -c1-16
}

HASH=$(inputs_hash)
OUT=$CACHE/$HASH
if [ -s "$OUT/pureboot-vmlinuz" ] && [ -s "$OUT/pureboot-initrd.img" ]; then
  ln -sfn "$HASH" "$CACHE/current"
  log "boot image $HASH is up to date ($(du -sh "$OUT" | cut -f1))"
  echo "$OUT"
  exit 0
fi

WORK=$(mktemp -d "${TMPDIR:-/tmp}/pureboot-boot-image.XXXXXX")
chmod 755 "$WORK"
mkdir "$WORK/deb"
chown _apt "$WORK/deb" 2>/dev/null || true  # apt-get download fetches as the user _apt
trap 'rm -rf "$WORK"' EXIT
trap 'exit 130' INT TERM
ROOT=$WORK/root
started=$SECONDS

log "kernel: $KERNEL_PACKAGE"
(cd "$WORK/deb" && apt-get download -q "$KERNEL_PACKAGE" >/dev/null)
dpkg -x "$WORK/deb/$KERNEL_PACKAGE"_*.deb "$WORK/kernel"
KVER=${KERNEL_PACKAGE#linux-image-}

userland
log "userland: $(basename "$USERLAND")"
mkdir -p "$ROOT"
tar -C "$ROOT" --numeric-owner -xpf "$USERLAND"

log "kernel modules: those in modules.list and what they depend on"
# The image's own kmod does the work (the build host needs none): the unpacked kernel moves into the
# root for the time it takes.
mv "$WORK/kernel" "$ROOT/tmp/kernel"
chroot "$ROOT" depmod -b /tmp/kernel "$KVER"
mapfile -t MODULES < <(grep -v '^\s*#' "$HERE/modules.list" | tr -s ' \t' '\n' | grep -v '^$')
MODDIR=/lib/modules/$KVER
mkdir -p "$ROOT$MODDIR"
for module in "${MODULES[@]}"; do
  # --show-depends prints "insmod <file>" for the module and each dependency; builtins print nothing.
  chroot "$ROOT" modprobe -d /tmp/kernel -S "$KVER" --show-depends "$module" 2>/dev/null \
    | awk '$1 == "insmod" {print $2}'
done | sed 's|^/tmp/kernel||' | sort -u | while read -r file; do
  mkdir -p "$ROOT$(dirname "$file")"
  cp "$ROOT/tmp/kernel$file" "$ROOT$file"
done
cp "$ROOT/tmp/kernel$MODDIR"/modules.{order,builtin,builtin.modinfo} "$ROOT$MODDIR/"
mv "$ROOT/tmp/kernel" "$WORK/kernel"
chroot "$ROOT" depmod "$KVER"
log "kernel modules: $(find "$ROOT$MODDIR" -name '*.ko*' | wc -l) of $(find "$WORK/kernel$MODDIR" -name '*.ko*' | wc -l)"

log "java: jlink from $JAVA_HOME, the modules the agent needs"
# jdeps also names java.desktop (Jackson looks for java.beans annotations when they exist, and copes
# when they do not): AWT, fonts and images are ~30 MB a node never uses, so it is left out.
JAVA_MODULES=$(jdeps --ignore-missing-deps --print-module-deps --multi-release 21 "$AGENT_JAR" 2>/dev/null \
  | tr ',' '\n' | grep -vx -e java.desktop -e java.datatransfer -e java.prefs | paste -sd, -)
# jdk.httpserver: direct mode serves over HTTPS; jdk.unsupported lets zstd-jni and Jackson use their fast paths.
JAVA_MODULES=$(echo "$JAVA_MODULES,jdk.httpserver,jdk.unsupported" | tr ',' '\n' | sort -u | paste -sd, -)
# Uncompressed modules: the initramfs's zstd compresses them better than jlink's zip would.
jlink --add-modules "$JAVA_MODULES" --strip-debug --no-man-pages --no-header-files --compress=zip-0 \
  --generate-cds-archive --output "$ROOT/opt/java"
# The archive for heaps over 32 GB (no compressed oops): such a JVM still starts, only without CDS.
rm -f "$ROOT"/opt/java/lib/server/classes_nocoops.jsa

log "agent: $(basename "$AGENT_JAR")"
install -D -m 0644 "$AGENT_JAR" "$ROOT/opt/pureboot/agent.jar"
install -D -m 0755 "$HERE/pureboot-agent" "$ROOT/usr/local/bin/pureboot-agent"
install -D -m 0755 "$HERE/init" "$ROOT/init"
install -D -m 0755 "$HERE/udhcpc.script" "$ROOT/etc/pureboot/udhcpc.script"
# The jar gets its final time stamp before the archive is made: the JVM refuses an archive whose jar changed.
touch -d "@$SOURCE_DATE_EPOCH" "$ROOT/opt/pureboot/agent.jar"
# A class-data-sharing archive of the agent's classes: the JVM starts about twice as fast under emulation.
mount -t proc proc "$ROOT/proc"
chroot "$ROOT" /opt/java/bin/java -XX:ArchiveClassesAtExit=/opt/pureboot/agent.jsa -XX:+UseSerialGC \
  -jar /opt/pureboot/agent.jar --help >/dev/null 2>&1 || log "no CDS archive (the agent still starts without)"
umount "$ROOT/proc"

log "trimming what a node never uses"
# apt's and dpkg's caches and logs; the udev hardware database (names and vendors for USB/PCI ids
# only: by-id and by-path links do not use it); the common licence texts (each package keeps its
# own copyright file).
rm -rf "$ROOT"/var/cache/* "$ROOT"/var/lib/apt/lists/* "$ROOT"/var/log/* \
  "$ROOT"/usr/lib/udev/hwdb.d "$ROOT"/etc/udev/hwdb.bin "$ROOT"/usr/lib/udev/hwdb.bin \
  "$ROOT"/usr/share/common-licenses
# Perl beyond perl-base and Python come with nfs-common and debconf for scripts a node never runs
# (mountstats, nfsiostat, debconf's front ends); no tool the agent drives is written in either.
rm -rf "$ROOT"/usr/lib/x86_64-linux-gnu/perl "$ROOT"/usr/share/perl "$ROOT"/usr/lib/x86_64-linux-gnu/libperl.so* \
  "$ROOT"/usr/lib/python3* "$ROOT"/usr/bin/python3* "$ROOT"/usr/share/python3 "$ROOT"/usr/sbin/mountstats \
  "$ROOT"/usr/sbin/nfsiostat
mkdir -p "$ROOT"/{proc,sys,dev,run,tmp,mnt,var/lib/pureboot-agent}
echo "pureboot" > "$ROOT/etc/hostname"
: > "$ROOT/etc/machine-id"
# open-iscsi needs an initiator name: init makes one per node at boot, none is baked in.
rm -f "$ROOT/etc/iscsi/initiatorname.iscsi"

log "packing the initramfs"
find "$ROOT" -newermt "@$SOURCE_DATE_EPOCH" -print0 | xargs -0r touch -h -d "@$SOURCE_DATE_EPOCH"
mkdir -p "$WORK/out"
(cd "$ROOT" && find . -print0 | LC_ALL=C sort -z \
  | cpio --null --create --format=newc --reproducible --quiet) \
  | zstd -q -15 -T0 > "$WORK/out/pureboot-initrd.img"
cp "$WORK/kernel/boot/vmlinuz-$KVER" "$WORK/out/pureboot-vmlinuz"
uncompressed=$(du -sb "$ROOT" | cut -f1)

total=$(( $(stat -c %s "$WORK/out/pureboot-vmlinuz") + $(stat -c %s "$WORK/out/pureboot-initrd.img") ))
if [ "$total" -gt "$BUDGET_BYTES" ]; then
  die "boot image: $((total / 1048576)) MiB is over the 100 MiB budget"
fi
{
  echo "inputs $HASH"
  echo "kernel $KERNEL_PACKAGE $(apt-cache policy "$KERNEL_PACKAGE" | awk '/Candidate:/ {print $2}')"
  echo "java $(awk -F'"' '/^JAVA_VERSION=/ {print $2}' "$ROOT/opt/java/release") modules $JAVA_MODULES"
  echo "agent $(basename "$AGENT_JAR") $(sha256sum "$AGENT_JAR" | cut -c1-64)"
  echo "uncompressed_bytes $uncompressed"
  echo "vmlinuz_bytes $(stat -c %s "$WORK/out/pureboot-vmlinuz")"
  echo "initrd_bytes $(stat -c %s "$WORK/out/pureboot-initrd.img")"
  echo "total_bytes $total"
  echo "build_seconds $((SECONDS - started))"
} > "$WORK/out/MANIFEST"
(cd "$WORK/out" && sha256sum pureboot-vmlinuz pureboot-initrd.img > SHA256SUMS)
mkdir -p "$CACHE"
rm -rf "$OUT"
mv "$WORK/out" "$OUT"
ln -sfn "$HASH" "$CACHE/current"
log "boot image $HASH: $((total / 1048576)) MiB compressed ($((uncompressed / 1048576)) MiB unpacked) in $((SECONDS - started)) s"
echo "$OUT"
