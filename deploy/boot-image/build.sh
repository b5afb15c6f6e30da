#!/usr/bin/env bash
# Builds the PXE boot image: Debian's kernel (vmlinuz) and an initramfs holding a Debian userland
# (mmdebstrap --variant=essential plus the tools the agent drives), the kernel modules a node needs,
# a jlinked Java runtime, the agent's fat jar and the mode dispatcher as /init (deploy/boot-image/init).
#
# The initramfs is two layers (see below): a base (userland, modules, Java) that changes seldom, and the agent
# with init, rebuilt in seconds on top of it. Everything is cached under $PUREBOOT_CACHE/boot-image/ (outside any
# checkout, see deploy/dev/lib.sh: a fresh clone on the same machine, as CI is, reuses it), keyed by the inputs'
# hash: this script, init and its scripts, packages.list, modules.list, the candidate versions of the Debian
# packages, the agent jar's content and the JDK's release. $PUREBOOT_CACHE/boot-image/current points at the
# last build; the proxy serves it as /boot/ (deploy/dev/proxy.sh).
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
CACHE=$PUREBOOT_CACHE/boot-image
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

# The agent jar by its content (each entry's name, size and CRC), not its bytes: Maven stamps every build with
# new entry times, and a rebuild of unchanged code must not cost a new image.
jar_content_hash() {
  if command -v unzip >/dev/null; then
    unzip -v "$AGENT_JAR" | awk 'NF >= 8 && $7 ~ /^[0-9a-f]+$/ {$2 = $3 = $4 = $5 = $6 = ""; print}' | LC_ALL=C sort \
      | sha256sum | cut -c1-64
  else
    sha256sum "$AGENT_JAR" | cut -c1-64
  fi
}

# The image is two layers, each a zstd-compressed cpio archive; the kernel unpacks them in turn into one root.
#  base:  the userland, the kernel's modules and the jlinked Java runtime; keyed by this script, the lists, the
#         kernel and package versions and the JDK. It is the slow part (zstd of ~270 MiB) and changes seldom.
#  agent: the agent jar with its class-data-sharing archive, /init and its scripts; rebuilt in about a minute
#         whenever the agent or init changes (every CI run of a changed agent).
base_hash() {
  {
    # the recipe without its comments and blank lines: rewording a comment costs no rebuild
    grep -hv -e '^\s*#' -e '^\s*$' "$HERE/build.sh" "$HERE/packages.list" "$HERE/modules.list" | sha256sum
    echo "$SUITE $MIRROR $KERNEL_PACKAGE $JAVA_MODULES"
    apt-cache policy "$KERNEL_PACKAGE" "${PACKAGES[@]}" | awk '/^[a-z0-9]/ {p=$1} /Candidate:/ {print p, $2}'
    cat "$JAVA_HOME/release"
  } | sha256sum | cut -c1-16
}

inputs_hash() {
  {
    echo "$BASE_HASH"
    sha256sum "$HERE/init" "$HERE/udhcpc.script" "$HERE/pureboot-agent" | awk '{print $1}'
    jar_content_hash
  } | sha256sum | cut -c1-16
}

# The Java modules of the runtime: what jdeps finds in the agent (java.base, java.net.http, java.sql), plus
# jdk.httpserver (direct mode serves over HTTPS) and jdk.unsupported (zstd-jni's and Jackson's fast paths). Fixed
# here, not taken from jdeps at each build, so that a new agent jar does not rebuild the base layer; the agent
# layer checks the jar needs no other. Left out although jdeps names it: java.desktop (AWT, fonts, images, ~30 MB;
# Jackson looks for java.beans annotations and copes without them), with java.datatransfer and java.prefs.
JAVA_MODULES=java.base,java.net.http,java.sql,jdk.httpserver,jdk.unsupported

BASE_HASH=$(base_hash)
HASH=$(inputs_hash)
OUT=$CACHE/$HASH
BASE=$CACHE/base-$BASE_HASH
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
trap 'umount "$WORK/root/proc" 2>/dev/null || true; rm -rf "$WORK"' EXIT
trap 'exit 130' INT TERM
ROOT=$WORK/root
started=$SECONDS
mkdir -p "$CACHE"

# The agent needs no Java module the base lacks.
needed=$(jdeps --ignore-missing-deps --print-module-deps --multi-release 21 "$AGENT_JAR" 2>/dev/null | tr ',' '\n' \
  | grep -vx -e java.desktop -e java.datatransfer -e java.prefs || true)
for module in $needed; do
  case ",$JAVA_MODULES," in *",$module,"*) ;; *) die "boot image: the agent needs the Java module $module; add it to JAVA_MODULES in build.sh" ;; esac
done

build_base() {
  log "kernel: $KERNEL_PACKAGE"
  # The package is kept in the cache by its name and version: a new base needs no new download.
  KERNEL_VERSION=$(apt-cache policy "$KERNEL_PACKAGE" | awk '/Candidate:/ {print $2}')
  KERNEL_DEB=$CACHE/${KERNEL_PACKAGE}_${KERNEL_VERSION//:/%3a}.deb
  if [ ! -s "$KERNEL_DEB" ]; then
    (cd "$WORK/deb" && apt-get download -q "$KERNEL_PACKAGE=$KERNEL_VERSION" >/dev/null)
    find "$CACHE" -maxdepth 1 -name 'linux-image-*.deb' -delete
    mv "$WORK/deb/$KERNEL_PACKAGE"_*.deb "$KERNEL_DEB"
  fi
  dpkg -x "$KERNEL_DEB" "$WORK/kernel"
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

  log "java: jlink from $JAVA_HOME ($JAVA_MODULES)"
  # Uncompressed modules: the initramfs's zstd compresses them better than jlink's zip would.
  jlink --add-modules "$JAVA_MODULES" --strip-debug --no-man-pages --no-header-files --compress=zip-0 \
    --generate-cds-archive --output "$ROOT/opt/java"
  # The archive for heaps over 32 GB (no compressed oops): such a JVM still starts, only without CDS.
  rm -f "$ROOT"/opt/java/lib/server/classes_nocoops.jsa

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

  log "packing the base layer"
  mkdir -p "$WORK/base"
  pack "$ROOT" > "$WORK/base/layer.cpio.zst"
  # the tree itself, for the agent layer's class-data-sharing run in a chroot
  tar -C "$ROOT" --numeric-owner -cf "$WORK/base/root.tar" .
  cp "$WORK/kernel/boot/vmlinuz-$KVER" "$WORK/base/pureboot-vmlinuz"
  {
    echo "kernel $KERNEL_PACKAGE $KERNEL_VERSION"
    echo "kernel_modules $(find "$ROOT$MODDIR" -name '*.ko*' | wc -l) of $(find "$WORK/kernel$MODDIR" -name '*.ko*' | wc -l)"
    echo "java $(awk -F'"' '/^JAVA_VERSION=/ {print $2}' "$ROOT/opt/java/release") modules $JAVA_MODULES"
    echo "base_uncompressed_bytes $(du -sb "$ROOT" | cut -f1)"
  } > "$WORK/base/MANIFEST"
  rm -rf "$BASE"
  mv "$WORK/base" "$BASE"
  # older bases are of no use any more
  find "$CACHE" -maxdepth 1 -name 'base-*' ! -name "base-$BASE_HASH" -exec rm -rf {} +
  rm -rf "$ROOT"
}

# pack DIR [PATH...]: a reproducible zstd-compressed newc cpio archive of DIR (or only of the PATHs in it) on stdout.
pack() {
  local dir=$1; shift
  find "$dir" -newermt "@$SOURCE_DATE_EPOCH" -print0 | xargs -0r touch -h -d "@$SOURCE_DATE_EPOCH"
  (cd "$dir" && find "${@:-.}" -print0 | LC_ALL=C sort -z \
    | cpio --null --create --format=newc --reproducible --quiet) | zstd -q -15 -T0
}

if [ ! -s "$BASE/layer.cpio.zst" ]; then
  build_base
else
  log "base layer $BASE_HASH is cached"
fi

log "agent layer: $(basename "$AGENT_JAR"), init"
mkdir -p "$ROOT"
tar -C "$ROOT" --numeric-owner -xpf "$BASE/root.tar"
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
mkdir -p "$WORK/out"
pack "$ROOT" ./init ./opt/pureboot ./usr/local/bin/pureboot-agent ./etc/pureboot > "$WORK/agent-layer.cpio.zst"
cat "$BASE/layer.cpio.zst" "$WORK/agent-layer.cpio.zst" > "$WORK/out/pureboot-initrd.img"
# Zero padding to a multiple of 4 bytes. Under UEFI the kernel's EFI stub hands the kernel the initrds it is told
# (initrd=initrd.img initrd=ca.img) concatenated with no alignment, and the kernel takes an uncompressed cpio (the
# CA initrd) only at a 4-byte boundary; zeros between archives are skipped. iPXE aligns them itself under BIOS. The
# UEFI VM test found it: "Initramfs unpacking failed: invalid magic", and no CA.
truncate -s %4 "$WORK/out/pureboot-initrd.img"
cp "$BASE/pureboot-vmlinuz" "$WORK/out/pureboot-vmlinuz"

total=$(( $(stat -c %s "$WORK/out/pureboot-vmlinuz") + $(stat -c %s "$WORK/out/pureboot-initrd.img") ))
if [ "$total" -gt "$BUDGET_BYTES" ]; then
  die "boot image: $((total / 1048576)) MiB is over the 100 MiB budget"
fi
{
  echo "inputs $HASH base $BASE_HASH"
  cat "$BASE/MANIFEST"
  echo "agent $(basename "$AGENT_JAR") content $(jar_content_hash)"
  echo "uncompressed_bytes $(du -sb "$ROOT" | cut -f1)"
  echo "vmlinuz_bytes $(stat -c %s "$WORK/out/pureboot-vmlinuz")"
  echo "base_layer_bytes $(stat -c %s "$BASE/layer.cpio.zst")"
  echo "agent_layer_bytes $(stat -c %s "$WORK/agent-layer.cpio.zst")"
  echo "initrd_bytes $(stat -c %s "$WORK/out/pureboot-initrd.img")"
  echo "total_bytes $total"
  echo "build_seconds $((SECONDS - started))"
} > "$WORK/out/MANIFEST"
(cd "$WORK/out" && sha256sum pureboot-vmlinuz pureboot-initrd.img > SHA256SUMS)
rm -rf "$OUT"
mv "$WORK/out" "$OUT"
ln -sfn "$HASH" "$CACHE/current"
# images of older agents: each is ~90 MB, and the base they share stays
find "$CACHE" -maxdepth 1 -type d -regextype posix-extended -regex '.*/[0-9a-f]{16}' ! -name "$HASH" -mmin +1440 \
  -exec rm -rf {} +
log "boot image $HASH: $((total / 1048576)) MiB compressed in $((SECONDS - started)) s"
echo "$OUT"
