#!/usr/bin/env bash
# Points a wrapper module at a new version of the tool's module and copies that version's
# module-to-module replace (and exclude) directives into it, then tidies.
#   bash tools/go/sync-wrapper.sh tools/go/thanos github.com/thanos-io/thanos v0.42.5
# Needs go and jq. Replaces with a local path target (=> ../x) cannot be copied: it says so.
set -euo pipefail
dir=$1 module=$2 version=$3
. "$(dirname "$0")/../../config/versions.env"
export GOWORK=off GOTOOLCHAIN="$GO_TOOLCHAIN"
cd "$dir"
go mod edit -require="$module@$version"
src=$(go mod download -json "$module@$version" | jq -r .GoMod)
args=()
# Drop the replaces and excludes of the previous version, then copy the new ones.
while read -r a; do [ -n "$a" ] && args+=("$a"); done < <(go mod edit -json | jq -r '
  ((.Replace // [])[] | "-dropreplace=\(.Old.Path)\(if .Old.Version then "@" + .Old.Version else "" end)"),
  ((.Exclude // [])[] | "-dropexclude=\(.Path)@\(.Version)")')
while read -r a; do [ -n "$a" ] && args+=("$a"); done < <(go mod edit -json "$src" | jq -r '
  ((.Replace // [])[] | select(.New.Version) |
    "-replace=\(.Old.Path)\(if .Old.Version then "@" + .Old.Version else "" end)=\(.New.Path)@\(.New.Version)"),
  ((.Exclude // [])[] | "-exclude=\(.Path)@\(.Version)")')
go mod edit -json "$src" | jq -r '(.Replace // [])[] | select(.New.Version | not) |
  "not copied (local path): \(.Old.Path) => \(.New.Path)"' >&2
[ ${#args[@]} -eq 0 ] || go mod edit "${args[@]}"
go mod tidy
echo "$dir: $module $version, $(go mod edit -json | jq '(.Replace // []) | length') replaces" >&2
