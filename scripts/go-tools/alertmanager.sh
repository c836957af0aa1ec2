# Alertmanager and amtool: plain `go install` (no replace directives in its go.mod). The
# classic web UI is compiled in (asset/assets_vfsdata.go is in the module) and served at /.
alertmanager_version="$ALERTMANAGER_VERSION"
alertmanager_binaries="alertmanager amtool"

build_alertmanager() {
  local m=github.com/prometheus/alertmanager
  step env GOBIN="$1" go install -trimpath -tags netgo \
    -ldflags "$(version_ldflags "${ALERTMANAGER_VERSION#v}")" \
    "$m/cmd/alertmanager@$ALERTMANAGER_VERSION" "$m/cmd/amtool@$ALERTMANAGER_VERSION"
}

check_alertmanager() {
  expect "alertmanager, version ${ALERTMANAGER_VERSION#v} " "$1/alertmanager" --version
  expect "amtool, version ${ALERTMANAGER_VERSION#v} " "$1/amtool" --version
  printf '%s\n' 'route: { receiver: default }' 'receivers: [ { name: default } ]' >"$WORK/alertmanager.yml"
  expect "SUCCESS" "$1/amtool" check-config "$WORK/alertmanager.yml"
}
