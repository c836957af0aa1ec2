#!/usr/bin/env bash
# One-time setup of a machine: system binaries (Debian packages), Node 24 and the npm packages.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup-system.sh
NODE_BIN="$(bash scripts/setup-node.sh)"
export PATH="$NODE_BIN:$PATH"
npm ci --no-audit --no-fund
# Production builds (the dashboard); workspaces without a build script are skipped.
npm run build --workspaces --if-present
echo
echo "Set up. npm start and npm test find Node 24 by themselves (scripts/node24);"
echo "for other commands, put it first on PATH: export PATH=\"$NODE_BIN:\$PATH\""
