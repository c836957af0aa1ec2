#!/usr/bin/env bash
# One-time setup of a machine: system binaries (Debian packages), Node 24 and the npm packages.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup-system.sh
NODE_BIN="$(bash scripts/setup-node.sh)"
export PATH="$NODE_BIN:$PATH"
npm ci --no-audit --no-fund
echo
echo "Node 24 is in $NODE_BIN. Put it first on PATH in your shell:"
echo "  export PATH=\"$NODE_BIN:\$PATH\""
