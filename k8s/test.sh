#!/usr/bin/env bash
# Everything ./pureboot test runs for Kubernetes and the images, after the Maven build (which leaves the
# services' target/quarkus-app behind) and with the local PostgreSQL and Kafka up:
#   1. k8s/check/run.sh        every overlay renders and passes the checks; every broken fixture fails
#      k8s/check/proxy-hardening.sh  the gateway's headers and JSON refusals on a real nginx
#   2. ./pureboot images       the images, without Docker (root; cached in $PUREBOOT_CACHE/images)
#   3. deploy/images/smoke.sh  each image runs under podman with its Deployment's environment
# PUREBOOT_SKIP_IMAGES=1 runs step 1 only (as does a run that is not root).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
bash "$root/k8s/check/run.sh"
bash "$root/k8s/check/proxy-hardening.sh"
if [ "${PUREBOOT_SKIP_IMAGES:-0}" = 1 ] || [ "$(id -u)" -ne 0 ]; then
  echo "k8s/test: images and their smoke test skipped (PUREBOOT_SKIP_IMAGES=1 or not root)"
  exit 0
fi
bash "$root/deploy/images/build.sh"
bash "$root/deploy/images/smoke.sh"
