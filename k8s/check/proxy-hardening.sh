#!/usr/bin/env bash
# The origin's hardening (k8s/base/gateway/hardening.conf), proven on a real nginx: the Kubernetes gateway's
# nginx.conf with its upstreams pointed at a stand-in service on loopback. Checks that nginx names no version,
# every answer carries the security headers once, the gateway's own refusals (404, /internal/, 405, 413, 414)
# have the documented JSON error body on the HTTPS port (a throwaway certificate) and on the plain iPXE port, and a
# service's own error answer passes through unchanged.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
work=$(mktemp -d)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
upstream=$(free_port)
plain=$(free_port)
gateway=$(free_port)

# The stand-in service: every answer is a 409 in the services' error shape with headers of its own.
cat > "$work/service.py" <<'PY'
import http.server, sys
class Handler(http.server.BaseHTTPRequestHandler):
    def answer(self):
        body = b'{"status":409,"error":"Conflict","message":"from the service","fields":[]}'
        self.send_response(409)
        self.send_header("Content-Type", "application/json")
        self.send_header("X-Frame-Options", "DENY")
        self.send_header("Cache-Control", "no-store")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
    do_GET = do_POST = do_PUT = do_DELETE = answer
    def log_message(self, *args):
        pass
http.server.HTTPServer(("127.0.0.1", int(sys.argv[1])), Handler).serve_forever()
PY
python3 "$work/service.py" "$upstream" & pids+=($!)

mkdir -p "$work/gateway" "$work/tls"
cp "$root/k8s/base/gateway/routes.conf" "$root/k8s/base/gateway/hardening.conf" "$root/k8s/base/gateway/plain-http.conf" \
  "$work/gateway/"
# A throwaway certificate in place of the Secret gateway-tls.
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 1 -subj /CN=127.0.0.1 \
  -addext subjectAltName=IP:127.0.0.1 -keyout "$work/tls/tls.key" -out "$work/tls/tls.crt" 2>/dev/null
sed -e "s#/tmp/#$work/#g" -e "s#/etc/pureboot/gateway/#$work/gateway/#g" -e "s#/etc/pureboot/tls/#$work/tls/#g" \
    -e "s#server [a-z-]*:8080;#server 127.0.0.1:$upstream;#" -e "s#listen 8080;#listen 127.0.0.1:$plain;#" \
    -e "s#listen 8443 ssl;#listen 127.0.0.1:$gateway ssl;#" \
    -e "s#client_max_body_size 8m;#client_max_body_size 1k;#" -e "s#access_log /dev/stdout;#access_log off;#" \
    -e "s#error_log stderr warn;#error_log $work/error.log warn;#" \
    "$root/k8s/base/gateway/nginx.conf" > "$work/gateway/nginx.conf"
nginx -e "$work/error.log" -c "$work/gateway/nginx.conf" & pids+=($!)
for _ in $(seq 1 50); do
  (exec 3<>"/dev/tcp/127.0.0.1/$gateway") 2>/dev/null && break
  sleep 0.1
done

failures=0
fail() { echo "proxy-hardening: FAIL: $*" >&2; failures=$((failures + 1)); }
# request <name> <curl args...>: status, headers and body of one request into $work/<name>.*
request() {
  local name=$1; shift
  curl -s --cacert "$work/tls/tls.crt" -o "$work/$name.body" -D "$work/$name.headers" -w '%{http_code}' "$@" > "$work/$name.status" || true
}
expect_json_error() {
  local name=$1 status=$2
  [ "$(cat "$work/$name.status")" = "$status" ] || fail "$name: status $(cat "$work/$name.status"), expected $status"
  grep -qi '^content-type: application/json' "$work/$name.headers" || fail "$name: not application/json"
  python3 - "$work/$name.body" "$status" <<'PY' || fail "$name: not the documented error body: $(cat "$work/$name.body")"
import json, sys
body = json.load(open(sys.argv[1]))
assert body["status"] == int(sys.argv[2]) and body["error"] and body["message"] and body["fields"] == []
PY
}
expect_security_headers() {
  local name=$1
  for header in 'X-Content-Type-Options: nosniff' 'X-Frame-Options: DENY' 'Referrer-Policy: no-referrer' \
      "Content-Security-Policy: default-src 'self'"; do
    [ "$(grep -ci "^${header}" "$work/$name.headers")" = 1 ] || fail "$name: '$header' not there exactly once"
  done
  grep -qi '^server: nginx\s*$' "$work/$name.headers" || fail "$name: the Server header names a version"
}

url="https://127.0.0.1:$gateway"
request unknown "$url/nowhere";                        expect_json_error unknown 404; expect_security_headers unknown
request internal "$url/internal/v1/staging/x";         expect_json_error internal 404
request trace -X TRACE "$url/api/v1/clone-sessions";   expect_json_error trace 405
head -c 4096 /dev/zero > "$work/big"
request large -X POST --data-binary @"$work/big" "$url/api/v1/clone-sessions"; expect_json_error large 413
request long "$url/api/v1/clone-sessions?q=$(head -c 10000 /dev/zero | tr '\0' x)"; expect_json_error long 414
request service "$url/api/v1/clone-sessions"
[ "$(cat "$work/service.status")" = 409 ] || fail "service: status $(cat "$work/service.status"), expected the service's 409"
grep -q '"message":"from the service"' "$work/service.body" || fail "service: body changed: $(cat "$work/service.body")"
grep -qi '^cache-control: no-store' "$work/service.headers" || fail "service: the service's Cache-Control was lost"
expect_security_headers service
# The plain port (iPXE only) refuses in the same shape.
request plain-internal "http://127.0.0.1:$plain/internal/v1/staging/x"; expect_json_error plain-internal 404
expect_security_headers plain-internal
request plain-api "http://127.0.0.1:$plain/api/v1/clone-sessions";     expect_json_error plain-api 403

[ "$failures" = 0 ] || { echo "proxy-hardening: $failures failures" >&2; exit 1; }
echo "proxy-hardening: 8 requests, every check passed"
