# Thanos, built from the wrapper module tools/go/thanos: `go install ...@version` refuses
# Thanos because its go.mod has replace directives, which the wrapper copies.
thanos_version="$THANOS_VERSION"
thanos_binaries="thanos"

build_thanos() {
  in_wrapper thanos github.com/thanos-io/thanos "$THANOS_VERSION"
  # Tags as in Thanos's .promu.yml (slicelabels: the labels layout Thanos is built for).
  step go build -trimpath -tags netgo,slicelabels -ldflags "$(version_ldflags "${THANOS_VERSION#v}")" \
    -o "$1/thanos" github.com/thanos-io/thanos/cmd/thanos
}

check_thanos() {
  expect "thanos, version ${THANOS_VERSION#v} " "$1/thanos" --version
}
