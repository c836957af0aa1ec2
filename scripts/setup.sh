#!/usr/bin/env bash
# One-time setup of a machine: system packages (Debian), Node 24 and the npm packages, the Go
# programs built from their modules (the collector, Prometheus, Alertmanager, Thanos: once per
# machine, cached by version under ~/.cache/outpost/bin), and the dashboard's production build.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup-system.sh
NODE_BIN="$(bash scripts/setup-node.sh)"
export PATH="$NODE_BIN:$PATH"
npm ci --no-audit --no-fund
# Go 1.26 lives at /usr/local/go on these machines, not always on PATH.
command -v go >/dev/null || export PATH="/usr/local/go/bin:$PATH"
bash scripts/setup-go-tools.sh
# Production builds (the dashboard); workspaces without a build script are skipped.
npm run build --workspaces --if-present
echo
echo "Set up. npm start and npm test find Node 24 by themselves (scripts/node24);"
echo "for other commands, put it first on PATH: export PATH=\"$NODE_BIN:\$PATH\""
