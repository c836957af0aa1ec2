#!/usr/bin/env bash
# Prints a PATH fragment: the colon-separated directories holding the binaries of the Go
# programs at the versions pinned in config/versions.env (built by scripts/setup-go-tools.sh).
# Usage: PATH="$(bash scripts/go-tools-path.sh):$PATH"
# Tools not built yet are left out, with a note on stderr (the output is never empty).
exec bash "$(dirname "${BASH_SOURCE[0]}")/setup-go-tools.sh" --path
