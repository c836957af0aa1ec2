#!/usr/bin/env bash
# Installs the system packages the platform and its tests use: Chromium (browser tests),
# openssl (process mode's certificates), curl and setpriv (util-linux; children die with
# their supervisor). Debian's packages; needs root when anything is missing. Skips what is
# already there. Prometheus, Alertmanager, Thanos and the collector are built from their Go
# modules by scripts/setup-go-tools.sh instead, at the versions the images ship.
set -euo pipefail
missing=()
command -v chromium >/dev/null || missing+=(chromium)
command -v openssl >/dev/null || missing+=(openssl)
command -v curl >/dev/null || missing+=(curl)
command -v setpriv >/dev/null || missing+=(util-linux)
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "missing: ${missing[*]}. Install them with: sudo apt-get install -y --no-install-recommends ${missing[*]}" >&2
  exit 1
fi
echo "installing ${missing[*]} (apt)..." >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
