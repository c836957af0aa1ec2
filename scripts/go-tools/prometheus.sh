# Prometheus and promtool from the wrapper module tools/go/prometheus (`go install` refuses
# Prometheus: its go.mod has a replace directive). Prometheus 3.x is published as module
# v0.3XY.Z = release 3.XY.Z; the release is stamped because the Thanos sidecar reads it.
# Built without the `builtinassets` tag: the web UI's compiled assets are not in the module
# (an npm build makes them), so / redirects to /query, which answers 500 "Error opening React
# index.html"; the HTTP API (buildinfo included), /metrics, /-/ready, remote write and the
# OTLP receiver all work, and the platform uses only those.
prometheus_version="$PROMETHEUS_VERSION"
prometheus_binaries="prometheus promtool"

build_prometheus() {
  in_wrapper prometheus github.com/prometheus/prometheus "$PROMETHEUS_VERSION"
  local dir; dir=$(go list -m -f '{{.Dir}}' github.com/prometheus/prometheus)
  [ -n "$dir" ] || { step go mod download github.com/prometheus/prometheus; dir=$(go list -m -f '{{.Dir}}' github.com/prometheus/prometheus); }
  [ "$(cat "$dir/VERSION")" = "$PROMETHEUS_RELEASE" ] ||
    fail "PROMETHEUS_RELEASE=$PROMETHEUS_RELEASE but the module's VERSION file says $(cat "$dir/VERSION")"
  local cmd
  for cmd in prometheus promtool; do
    step go build -trimpath -tags netgo -ldflags "$(version_ldflags "$PROMETHEUS_RELEASE")" \
      -o "$1/$cmd" "github.com/prometheus/prometheus/cmd/$cmd"
  done
}

check_prometheus() {
  expect "prometheus, version $PROMETHEUS_RELEASE " "$1/prometheus" --version
  expect "promtool, version $PROMETHEUS_RELEASE " "$1/promtool" --version
  printf '%s\n' 'scrape_configs:' '  - job_name: self' '    static_configs:' \
    "      - targets: ['127.0.0.1:9090']" >"$WORK/prometheus.yml"
  expect "SUCCESS" "$1/promtool" check config "$WORK/prometheus.yml"
}
