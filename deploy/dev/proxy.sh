#!/usr/bin/env bash
# The one origin browsers and nodes see: nginx on https://127.0.0.1:8443 (PUREBOOT_TLS_PORT) routes each /api/v1
# path to the service that owns it, with the routing table the Kubernetes gateway uses (k8s/base/gateway/routes.conf),
# with the development CA's certificate (deploy/dev/ca.sh). The plain port 127.0.0.1:8080 (PUREBOOT_PORT) keeps only
# what iPXE needs to start (k8s/base/gateway/plain-http.conf): boot scripts and boot files; the console redirects to
# https, the API answers 403 there. docs/tls-and-boot.md.
# nginx because that gateway runs it too, it is in Debian, and it streams Server-Sent Events once buffering is off.
# Usage: proxy.sh start|stop
set -euo pipefail
source "$(dirname "$0")/lib.sh"

PROXY_HOME=$PUREBOOT_VAR/proxy
PORT=${PUREBOOT_PORT:-8080}
TLS_PORT=${PUREBOOT_TLS_PORT:-8443}
# The certificate (made by ca.sh when missing), and the CA initrd served beside the boot image.
CA_HOME=${PUREBOOT_CA_HOME:-$PUREBOOT_VAR/ca}
STORAGE=127.0.0.1:${PUREBOOT_STORAGE_PORT:-8081}
PLANNER=127.0.0.1:${PUREBOOT_PLANNER_PORT:-8082}
CLONE=127.0.0.1:${PUREBOOT_CLONE_PORT:-8083}
# The web console, built by frontend/build.sh (./pureboot up).
CONSOLE_DIST=${PUREBOOT_CONSOLE_DIST:-$PUREBOOT_ROOT/frontend/dist}
# The PXE boot files (kernel, initrd) of the last boot-image build (deploy/boot-image/build.sh).
BOOT_FILES=${PUREBOOT_BOOT_FILES:-$PUREBOOT_CACHE/boot-image/current}

# Boot files for iPXE, on both ports (nodes fetch them over plain HTTP): large, static, fetched by every booting node;
# nginx serves them from disk. The CA initrd (pureboot-ca.img) comes from the development CA, not the image.
boot_files() {
  cat <<LOCATIONS
    location = /boot/pureboot-ca.img { alias $CA_HOME/pureboot-ca.img; }
    location /boot/ {
      alias $BOOT_FILES/;
      sendfile on;
    }
LOCATIONS
}

write_config() {
  mkdir -p "$PROXY_HOME/tmp"
  cat > "$PROXY_HOME/nginx.conf" <<CONF
worker_processes 1;
pid $PROXY_HOME/nginx.pid;
error_log $PUREBOOT_LOGS/proxy-error.log warn;
daemon off;
events { worker_connections 1024; }
http {
  access_log $PUREBOOT_LOGS/proxy-access.log;
  client_body_temp_path $PROXY_HOME/tmp/body;
  proxy_temp_path $PROXY_HOME/tmp/proxy;
  fastcgi_temp_path $PROXY_HOME/tmp/fastcgi;
  uwsgi_temp_path $PROXY_HOME/tmp/uwsgi;
  scgi_temp_path $PROXY_HOME/tmp/scgi;
  client_max_body_size 8m;
  include /etc/nginx/mime.types;
  gzip on;
  gzip_types application/javascript text/css application/json image/svg+xml;

  # Idle connections kept open to each service (with "Connection" cleared below): without them every request
  # opens and closes a connection to its service, which at a thousand progress reports a second costs the service
  # a connection set-up per report and fills the loopback's ephemeral ports with TIME_WAIT (docs/benchmarks.md).
  upstream storage { server $STORAGE; keepalive 16; }
  upstream planner { server $PLANNER; keepalive 16; }
  upstream clone   { server $CLONE; keepalive 32; }

  server {
    listen 127.0.0.1:$PORT;
    set \$pureboot_https_origin https://127.0.0.1:$TLS_PORT;
    proxy_http_version 1.1;
    proxy_set_header Connection "";
    proxy_set_header Host \$host;
    proxy_set_header X-Forwarded-For \$proxy_add_x_forwarded_for;
    proxy_set_header X-Forwarded-Proto \$scheme;
$(boot_files)
    include $PUREBOOT_ROOT/k8s/base/gateway/plain-http.conf;
    include $PUREBOOT_ROOT/k8s/base/gateway/hardening.conf;
  }

  server {
    listen 127.0.0.1:$TLS_PORT ssl;
    ssl_certificate $CA_HOME/server.pem;
    ssl_certificate_key $CA_HOME/server.key;
    ssl_protocols TLSv1.2 TLSv1.3;

    proxy_http_version 1.1;
    proxy_set_header Connection "";
    proxy_set_header Host \$host;
    proxy_set_header X-Forwarded-For \$proxy_add_x_forwarded_for;
    proxy_set_header X-Forwarded-Proto \$scheme;
    # Live progress is Server-Sent Events: pass every byte on at once, keep the stream open.
    proxy_buffering off;
    proxy_read_timeout 1h;

    # The routing table the Kubernetes gateway uses too: /api/v1 paths to their owner, never /internal/.
    include $PUREBOOT_ROOT/k8s/base/gateway/routes.conf;
    # Security headers, no version, JSON bodies for the proxy's own refusals (shared with the k8s gateway).
    include $PUREBOOT_ROOT/k8s/base/gateway/hardening.conf;
$(boot_files)

    # The console: hashed assets cached for good, every other path is a client route (deep links
    # such as /sessions/<id> work on reload), index.html always revalidated.
    root $CONSOLE_DIST;
    # "expires", not add_header, so that hardening.conf's headers reach these answers too.
    location /assets/ { expires max; try_files \$uri =404; }
    location / { expires epoch; try_files \$uri /index.html; }
  }
}
CONF
}

case "${1:-start}" in
  start)
    command -v nginx >/dev/null || bash "$(dirname "$0")/prereqs.sh"
    bash "$(dirname "$0")/ca.sh" ensure
    write_config
    nginx -t -q -c "$PROXY_HOME/nginx.conf" -e "$PUREBOOT_LOGS/proxy-error.log" 2>>"$PUREBOOT_LOGS/proxy.log" \
      || die "invalid proxy configuration; see $PUREBOOT_LOGS/proxy.log"
    start_daemon proxy nginx -c "$PROXY_HOME/nginx.conf" -e "$PUREBOOT_LOGS/proxy-error.log"
    wait_until 20 "proxy on http://127.0.0.1:$PORT and https://127.0.0.1:$TLS_PORT" port_open 127.0.0.1 "$TLS_PORT" \
      || die "the proxy did not start; see $PUREBOOT_LOGS/proxy-error.log"
    ;;
  stop)
    stop_daemon proxy
    ;;
  *) die "usage: proxy.sh start|stop" ;;
esac
