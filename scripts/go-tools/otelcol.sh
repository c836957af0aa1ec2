# OpenTelemetry Collector "otelcol-outpost": the Collector Builder (ocb) at
# OTELCOL_BUILDER_VERSION builds config/collector/builder.yaml, exactly as
# config/collector/Dockerfile does for the images. ocb is kept next to it.
otelcol_manifest="$REPO/config/collector/builder.yaml"
# Cached under the builder version plus a hash of the manifest: editing the component
# list rebuilds, while the manifest's dist.version is what the binary reports.
otelcol_version="$OTELCOL_BUILDER_VERSION-$(sha256sum "$otelcol_manifest" | cut -c1-10)"
otelcol_binaries="otelcol-outpost ocb"

build_otelcol() {
  step env GOBIN="$1" go install "go.opentelemetry.io/collector/cmd/builder@$OTELCOL_BUILDER_VERSION"
  step mv "$1/builder" "$1/ocb"
  # ocb has no output-path flag: build a copy of the manifest whose output_path is in $WORK.
  sed "s|^\( *output_path:\).*|\1 $WORK/_build|" "$otelcol_manifest" >"$WORK/builder.yaml"
  cd "$WORK"
  step "$1/ocb" --config="$WORK/builder.yaml"
  step cp "$WORK/_build/otelcol-outpost" "$1/"
}

check_otelcol() {
  local v; v=$(sed -n 's/^  version: *//p' "$otelcol_manifest")
  expect "otelcol-outpost version $v" "$1/otelcol-outpost" --version
  expect "ocb version $OTELCOL_BUILDER_VERSION" "$1/ocb" version
  cat >"$WORK/otelcol.yaml" <<'YAML'
receivers: { otlp: { protocols: { http: { endpoint: 127.0.0.1:4318 } } } }
processors: { batch: {} }
exporters: { prometheus: { endpoint: 127.0.0.1:8889 } }
service: { pipelines: { metrics: { receivers: [otlp], processors: [batch], exporters: [prometheus] } } }
YAML
  expect "" "$1/otelcol-outpost" validate --config="$WORK/otelcol.yaml"
}
