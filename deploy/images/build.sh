#!/usr/bin/env bash
# Builds the container images without Docker: ./pureboot images
#   pureboot/base          Debian minbase + a jlinked Java runtime + libiscsi and ssh clients, user 10001
#   pureboot/<service>     the Quarkus fast-jar of each service on the base (dependencies in their own layer)
#   pureboot/web           Debian minbase + nginx (the gateway and the boot-file server)
#   pureboot/dnsmasq       Debian minbase + dnsmasq + Debian's iPXE binaries (proxy-DHCP and TFTP)
# Tags: <project version>-<git commit>, and latest-build. Each image is rebuilt only when its inputs
# change: the functions that build it, its packages, the JDK, the service's built files. Their hash is
# kept in $PUREBOOT_CACHE/images/<image>.key, outside the checkout (deploy/dev/lib.sh), beside the root
# filesystem tars and the jlinked runtime: like podman's image store, they serve every clone on this
# machine, so a fresh clone (CI) at a new commit rebuilds only the service layers and merely retags
# the rest. Needs root (mmdebstrap, buildah).
set -euo pipefail
source "$(dirname "$0")/../dev/lib.sh"
cd "$PUREBOOT_ROOT"
export CONTAINERS_CONF=$PUREBOOT_ROOT/deploy/images/containers.conf
IMAGES=$PUREBOOT_CACHE/images
SUITE=bookworm
SERVICES=(storage-service resize-planner-service clone-service)
# The modules a Quarkus service needs at run time (JDBC, TLS, JMX-free management, JFR for diagnosis).
JAVA_MODULES=java.base,java.compiler,java.desktop,java.instrument,java.logging,java.management,java.naming,java.net.http,java.prefs,java.rmi,java.scripting,java.security.jgss,java.security.sasl,java.sql,java.transaction.xa,java.xml,jdk.crypto.ec,jdk.crypto.cryptoki,jdk.jfr,jdk.management,jdk.naming.dns,jdk.net,jdk.unsupported,jdk.zipfs

[ "$(id -u)" -eq 0 ] || die "images: run as root (mmdebstrap and buildah need it here)"
for tool in mmdebstrap buildah podman; do command -v "$tool" >/dev/null || bash deploy/dev/prereqs.sh; done
mkdir -p "$IMAGES"
# One build at a time per machine: the keys, tars and latest-build tags are shared by every clone.
exec 9>"$IMAGES/.lock"
flock 9

VERSION=$(sed -n 's:^  <version>\(.*\)</version>:\1:p' pom.xml | head -1)
COMMIT=$(git rev-parse --short=12 HEAD 2>/dev/null || echo unknown)
TAG=$VERSION-$COMMIT

# inputs_key WORDS...: a short hash of strings and of the contents of any of them that is a file or folder.
inputs_key() {
  local item
  for item in "$@"; do
    if [ -d "$item" ]; then find "$item" -type f -print0 | sort -z | xargs -0 sha256sum
    elif [ -f "$item" ]; then sha256sum "$item"
    else echo "$item"; fi
  done | sha256sum | cut -c1-16
}

# cached NAME KEY: true when pureboot/NAME was built from these inputs and is still in the store.
cached() {
  [ "$(cat "$IMAGES/$1.key" 2>/dev/null)" = "$2" ] && buildah inspect --type image "pureboot/$1:$TAG" >/dev/null 2>&1 \
    || { [ "$(cat "$IMAGES/$1.key" 2>/dev/null)" = "$2" ] && buildah inspect --type image "pureboot/$1:latest-build" >/dev/null 2>&1 \
         && buildah tag "pureboot/$1:latest-build" "pureboot/$1:$TAG"; }
}

# minbase NAME PACKAGES: a Debian minbase root filesystem tar with user pureboot (10001) and no apt lists.
# The tar stays in the cache, keyed by suite and packages: a lost image store costs no new download.
minbase() {
  local name=$1 packages=$2 tar=$IMAGES/$1-rootfs.tar
  if [ -s "$tar" ] && [ "$(cat "$tar.packages" 2>/dev/null)" = "$SUITE $packages" ]; then echo "$tar"; return; fi
  log "mmdebstrap $name ($packages)" >&2
  mmdebstrap --quiet --variant=minbase --include="$packages" \
    --customize-hook='chroot "$1" groupadd -g 10001 pureboot' \
    --customize-hook='chroot "$1" useradd -u 10001 -g 10001 -M -d /nonexistent -s /usr/sbin/nologin pureboot' \
    --customize-hook='rm -rf "$1"/var/lib/apt/lists/* "$1"/var/cache/apt/* "$1"/usr/share/doc/* "$1"/usr/share/man/*' \
    "$SUITE" "$tar" >"$PUREBOOT_LOGS/images-$name.log" 2>&1 || die "mmdebstrap $name failed; see $PUREBOOT_LOGS/images-$name.log"
  echo "$SUITE $packages" > "$tar.packages"
  echo "$tar"
}

# commit CONTAINER NAME KEY: commits, tags version-commit and latest-build, records the key.
commit() {
  buildah commit --quiet --rm "$1" "pureboot/$2:$TAG" >/dev/null
  buildah tag "pureboot/$2:$TAG" "pureboot/$2:latest-build"
  echo "$3" > "$IMAGES/$2.key"
  log "built pureboot/$2:$TAG ($(podman image inspect --format '{{.Size}}' "pureboot/$2:$TAG" 2>/dev/null | numfmt --to=si || echo '?')B)"
}

build_base() {
  local key ctr tar
  key=$(inputs_key "$(declare -f minbase build_base)" "$JAVA_HOME/release" "$JAVA_MODULES" "$SUITE")
  if cached base "$key"; then log "pureboot/base:$TAG is up to date"; return; fi
  tar=$(minbase base ca-certificates,libiscsi-bin,openssh-client)
  rm -rf "$IMAGES/jre"
  jlink --add-modules "$JAVA_MODULES" --strip-debug --no-header-files --no-man-pages --compress=zip-6 \
    --output "$IMAGES/jre"
  ctr=$(buildah from scratch)
  buildah add --quiet "$ctr" "$tar" / >/dev/null
  buildah add --quiet "$ctr" "$IMAGES/jre" /opt/java >/dev/null
  buildah config --env JAVA_HOME=/opt/java --env PATH=/opt/java/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    --user 10001:10001 --workingdir /tmp --label org.opencontainers.image.title=pureboot-base \
    --label org.opencontainers.image.version="$VERSION" --label pureboot.inputs="$key" "$ctr"
  commit "$ctr" base "$key"
}

build_service() {
  local name=$1 app=$1/target/quarkus-app key ctr
  [ -f "$app/quarkus-run.jar" ] || die "no $app/quarkus-run.jar: build first (./mvnw -B package -DskipTests -pl $name -am)"
  key=$(inputs_key "$(declare -f build_service)" "$(cat "$IMAGES/base.key")" "$app" workflows)
  if cached "$name" "$key"; then log "pureboot/$name:$TAG is up to date"; return; fi
  ctr=$(buildah from "pureboot/base:$TAG")
  # Dependencies change less often than the service: their own layer first.
  buildah add --quiet --chown 0:0 "$ctr" "$app/lib" /app/lib >/dev/null
  buildah add --quiet --chown 0:0 "$ctr" "$app/app" /app/app >/dev/null
  buildah add --quiet --chown 0:0 "$ctr" "$app/quarkus" /app/quarkus >/dev/null
  buildah add --quiet --chown 0:0 "$ctr" "$app/quarkus-run.jar" /app/quarkus-run.jar >/dev/null
  if [ "$name" = clone-service ]; then
    # clone-service reads one workflow per agent mode (workflows/) at start.
    buildah add --quiet --chown 0:0 "$ctr" workflows /app/workflows >/dev/null
    buildah config --env PUREBOOT_WORKFLOWS=/app/workflows "$ctr"
  fi
  buildah config --workingdir /tmp --port 8080 --entrypoint '["java", "-jar", "/app/quarkus-run.jar"]' --cmd '' \
    --label org.opencontainers.image.title="$name" --label org.opencontainers.image.version="$TAG" "$ctr"
  commit "$ctr" "$name" "$key"
}

build_plain() { # NAME PACKAGES
  local name=$1 packages=$2 key ctr tar
  key=$(inputs_key "$(declare -f minbase build_plain)" "$packages" "$SUITE")
  if cached "$name" "$key"; then log "pureboot/$name:$TAG is up to date"; return; fi
  tar=$(minbase "$name" "$packages")
  ctr=$(buildah from scratch)
  buildah add --quiet "$ctr" "$tar" / >/dev/null
  buildah config --user 10001:10001 --workingdir /tmp --label org.opencontainers.image.title="pureboot-$name" \
    --label org.opencontainers.image.version="$VERSION" --label pureboot.inputs="$key" "$ctr"
  commit "$ctr" "$name" "$key"
}

# prune_old_tags NAME: untags pureboot/NAME's other commits' tags, keeping this one and latest-build, so that the
# store does not grow by three service images per commit; layers still used (the base's, a running container's) stay.
prune_old_tags() {
  local tag
  for tag in $(podman images --format '{{.Repository}}:{{.Tag}}' "pureboot/$1" 2>/dev/null); do
    case $tag in *":$TAG" | *":latest-build") ;; *) podman rmi "$tag" >/dev/null 2>&1 || true ;; esac
  done
}

find_jdk
start=$SECONDS
targets=("${@:-all}")
for target in "${targets[@]}"; do
  case $target in
    all) build_base; for s in "${SERVICES[@]}"; do build_service "$s"; done
         build_plain web nginx-light; build_plain dnsmasq dnsmasq-base,ipxe ;;
    base) build_base ;;
    web) build_plain web nginx-light ;;
    dnsmasq) build_plain dnsmasq dnsmasq-base,ipxe ;;
    *-service) build_base; build_service "$target" ;;
    *) die "images: unknown image $target (all, base, web, dnsmasq, storage-service, resize-planner-service, clone-service)" ;;
  esac
done
for image in base "${SERVICES[@]}" web dnsmasq; do prune_old_tags "$image"; done
log "images done in $((SECONDS - start)) s; tag $TAG"
