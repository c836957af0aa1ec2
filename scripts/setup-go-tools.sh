#!/usr/bin/env bash
# Builds the platform's Go programs from their Go modules at the versions pinned in
# config/versions.env, into ~/.cache/outpost/bin/<tool>-<version>/ (OUTPOST_GO_TOOLS_DIR
# overrides the root), compiled with the Go toolchain GO_TOOLCHAIN pinned there (Go fetches it
# through the module proxy). A tool already built at its version with that toolchain is skipped,
# so a second run takes seconds.
# Progress goes to stderr; Go's output goes to <root>/logs/<tool>-<version>.log.
#
#   bash scripts/setup-go-tools.sh                  build every tool (scripts/go-tools/*.sh)
#   bash scripts/setup-go-tools.sh otelcol thanos   build only those
#   bash scripts/setup-go-tools.sh --path           print the PATH fragment (scripts/go-tools-path.sh)
#
# After a run, <root>/current.env names each tool's directory (<TOOL>_DIR=...) and
# GO_TOOLS_PATH; `PATH="$(bash scripts/go-tools-path.sh):$PATH"` puts the binaries on PATH.
#
# Contract of a tool file, scripts/go-tools/<tool>.sh (<tool>: a-z, 0-9, _; the file name
# is the tool's name). It is sourced after config/versions.env, must only define things
# (no commands with side effects: it is also sourced for --path), and defines:
#   <tool>_version     variable: the version the tool is cached under, from versions.env
#                      (may append a hash of other inputs, e.g. the collector's manifest)
#   <tool>_binaries    variable: space-separated names of the binaries it builds
#   build_<tool> OUT   function: builds those binaries into the empty directory OUT.
#                      Runs in a subshell (cd is fine); run every command as `step CMD...`
#                      (output to the log, failure names the tool, version and command);
#                      $WORK is a scratch directory removed afterwards, $REPO the repo root.
#   check_<tool> OUT   function: proves the binaries run (`expect TEXT CMD...` fails unless
#                      CMD succeeds and prints TEXT, e.g. the pinned version). A failed check
#                      discards the build; only checked builds are published.
#   Also at hand: version_ldflags VERSION (stamps github.com/prometheus/common/version, which
#   `--version` of Prometheus-family programs prints) and in_wrapper DIR MODULE VERSION (cd
#   into a wrapper module under tools/go after checking it requires MODULE at VERSION).
set -euo pipefail
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
ROOT="${OUTPOST_GO_TOOLS_DIR:-$HOME/.cache/outpost/bin}"
set -a; . "$REPO/config/versions.env"; set +a
# Static binaries, one pinned toolchain (exactly it: a module needing a newer Go fails), no go.work.
export GOTOOLCHAIN="$GO_TOOLCHAIN" CGO_ENABLED="${CGO_ENABLED:-0}" GOWORK=off

TOOLS=()
for f in "$REPO"/scripts/go-tools/*.sh; do
  TOOLS+=("$(basename "$f" .sh)")
  . "$f"
done

usage() { sed -n '2,/^# Contract/{/^# Contract/d; s/^# \{0,1\}//p}' "${BASH_SOURCE[0]}"; echo "Tools: ${TOOLS[*]}"; }
log() { echo "[go-tools] $*" >&2; }
fail() { # fail MESSAGE: names the tool being built and shows the end of its log
  log "FAILED: $TOOL $VERSION: $*"
  [ -s "${LOG:-}" ] && { tail -n 25 "$LOG" | sed 's/^/    /' >&2; log "full log: $LOG"; }
  exit 1
}
step() { # step CMD...: runs CMD with output to the log, saying every minute that it still runs
  echo "+ [$(date +%T)] $* (in $PWD)" >>"$LOG"
  # In its own process group, so that stopping the run stops go and its compilers too.
  setsid "$@" >>"$LOG" 2>&1 </dev/null 9>&- &
  local pid=$! next=$((SECONDS + 60))
  trap 'kill -- -'"$pid"' 2>/dev/null; exit 143' TERM INT HUP
  while kill -0 "$pid" 2>/dev/null; do
    sleep 1
    [ "$SECONDS" -lt "$next" ] || { log "$TOOL $VERSION: still running ($((SECONDS - START))s): $1 $2 ... ${!#}"; next=$((next + 60)); }
  done
  trap - TERM INT HUP
  wait "$pid" || fail "command exited $?: $* (in $PWD)"
}
expect() { # expect TEXT CMD...: CMD must succeed and print TEXT
  local text=$1 out; shift
  echo "+ $*" >>"$LOG"
  out=$("$@" 2>&1) || { echo "$out" >>"$LOG"; fail "check exited non-zero: $*"; }
  echo "$out" >>"$LOG"
  grep -qF -- "$text" <<<"$out" || fail "check printed no '$text': $*"
}
version_ldflags() { # version_ldflags VERSION: what promu (.promu.yml) stamps in release builds
  local p=github.com/prometheus/common/version
  echo "-X $p.Version=$1 -X $p.Revision=${2:-v$1} -X $p.Branch=HEAD" \
    "-X $p.BuildUser=$(id -un)@$(hostname) -X $p.BuildDate=$(date -u +%Y%m%d-%H:%M:%S)"
}
in_wrapper() { # in_wrapper DIR MODULE VERSION: cd into tools/go/DIR, which must require MODULE@VERSION
  cd "$REPO/tools/go/$1"
  local have; have=$(go list -m -f '{{.Version}}' "$2") || fail "go list -m $2 failed in tools/go/$1"
  [ "$have" = "$3" ] || fail "tools/go/$1 requires $2 $have, config/versions.env says $3:" \
    "run bash tools/go/sync-wrapper.sh tools/go/$1 $2 $3 (then commit go.mod and go.sum)"
}
dir_of() { local v="${1}_version"; echo "$ROOT/$1-${!v}"; }
built() { # built TOOL: true when every binary of TOOL's current version is there, from GO_TOOLCHAIN
  local b bins="${1}_binaries" dir; dir="$(dir_of "$1")"
  [ "$(cat "$dir/.go-toolchain" 2>/dev/null)" = "$GO_TOOLCHAIN" ] || return 1
  for b in ${!bins}; do [ -x "$dir/$b" ] || return 1; done
}

build() { # build TOOL: builds, checks and publishes one tool unless already built
  TOOL=$1; local v="${1}_version"; VERSION=${!v}
  local dest; dest="$(dir_of "$TOOL")"
  if built "$TOOL"; then log "$TOOL $VERSION: already built ($dest)"; return; fi
  mkdir -p "$ROOT/logs"
  LOG="$ROOT/logs/$TOOL-$VERSION.log"; : >"$LOG"
  WORK="$(mktemp -d "$ROOT/.work-$TOOL.XXXXXX")"
  local out="$WORK/out"; START=$SECONDS
  mkdir "$out"
  log "$TOOL $VERSION: building (log: $LOG)"
  # In the background, so that a signal to this script is handled at once (see the traps).
  ( build_"$TOOL" "$out"; check_"$TOOL" "$out" ) &
  BUILD=$!
  local rc=0; wait "$BUILD" || rc=$?
  BUILD=
  [ "$rc" -eq 0 ] || exit "$rc"
  echo "$GO_TOOLCHAIN" >"$out/.go-toolchain"
  rm -rf "$dest"   # an older toolchain's build or an incomplete one
  mv -T "$out" "$dest" || fail "could not publish $out to $dest"
  rm -rf "$WORK"
  log "$TOOL $VERSION: built in $((SECONDS - START))s -> $dest" 2>&1 | tee -a "$LOG" >&2
}

path_fragment() { # the directories of the built current versions, colon-separated
  local t dirs=()
  for t in "${TOOLS[@]}"; do
    if built "$t"; then dirs+=("$(dir_of "$t")")
    else log "$t not built at its current version: run bash scripts/setup-go-tools.sh $t"; fi
  done
  # Never empty: "$(...):$PATH" with an empty fragment would put the current directory on PATH.
  [ ${#dirs[@]} -gt 0 ] || dirs=("$ROOT")
  (IFS=:; echo "${dirs[*]}")
}

case "${1:-}" in
  -h|--help) usage; exit 0 ;;
  --path) path_fragment; exit 0 ;;
esac
for t in "$@"; do
  [[ " ${TOOLS[*]} " == *" $t "* ]] || { log "unknown tool '$t' (known: ${TOOLS[*]}; see --help)"; exit 2; }
done
[ $# -gt 0 ] || set -- "${TOOLS[@]}"
command -v go >/dev/null || { log "go not found on PATH (Go 1.26 is at /usr/local/go/bin)"; exit 1; }

mkdir -p "$ROOT"
exec 9>>"$ROOT/.lock"   # one run at a time per machine: builds fill both cores anyway
flock -n 9 || { log "waiting for another setup-go-tools run to finish ($ROOT/.lock)"; flock 9; }
rm -rf "$ROOT"/.work-*   # left by a run that was killed (holding the lock, no other run is building)
stop() { # on exit: stop the build in progress (its step stops its process group), drop its scratch dir
  if [ -n "${BUILD:-}" ]; then kill "$BUILD" 2>/dev/null || true; wait "$BUILD" 2>/dev/null || true; fi
  rm -rf "${WORK:-}"
}
trap stop EXIT; trap 'exit 130' INT; trap 'exit 143' TERM HUP

total=$SECONDS
for t in "$@"; do build "$t"; done
{
  echo "# Written by scripts/setup-go-tools.sh: directories of the current versions' binaries."
  for t in "${TOOLS[@]}"; do
    built "$t" && echo "$(tr '[:lower:]' '[:upper:]' <<<"$t")_DIR=$(dir_of "$t")"
  done
  echo "GO_TOOLS_PATH=$(path_fragment 2>/dev/null)"
} >"$ROOT/current.env"
log "done in $((SECONDS - total))s: $ROOT/current.env; PATH=\"\$(bash scripts/go-tools-path.sh):\$PATH\""
