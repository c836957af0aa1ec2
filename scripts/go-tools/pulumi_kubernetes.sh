# The Pulumi Kubernetes provider (pulumi-resource-kubernetes), from the wrapper module
# tools/go/pulumi-kubernetes. Its module, github.com/pulumi/pulumi-kubernetes/provider/v4, has no
# version tags (it is pinned by the release commit, a pseudo-version) and replaces sdk/v4 with
# ../sdk (the wrapper requires sdk/v4 at the release's tag instead). Its main.go embeds
# schema-embed.json and terraform-mapping-embed.json, which its generate step writes and the
# module does not carry: the build copies the module to $WORK, runs that step there (what
# `go generate` runs: generate.go, stamping the release into the schema), and builds with the
# wrapper's go.mod and go.sum plus a replace pointing the module at that copy.
pulumi_kubernetes_version="$PULUMI_KUBERNETES_VERSION"
pulumi_kubernetes_binaries="pulumi-resource-kubernetes"

build_pulumi_kubernetes() {
  local m=github.com/pulumi/pulumi-kubernetes/provider/v4
  in_wrapper pulumi-kubernetes "$m" "$PULUMI_KUBERNETES_VERSION"
  local sdk; sdk=$(go list -m -f '{{.Version}}' github.com/pulumi/pulumi-kubernetes/sdk/v4)
  [ "$sdk" = "v$PULUMI_KUBERNETES_RELEASE" ] ||
    fail "tools/go/pulumi-kubernetes requires sdk/v4 $sdk, not the release's v$PULUMI_KUBERNETES_RELEASE"
  local src; src=$(go list -m -f '{{.Dir}}' "$m")
  [ -n "$src" ] || { step go mod download "$m"; src=$(go list -m -f '{{.Dir}}' "$m"); }
  step cp -R "$src" "$WORK/provider"
  step chmod -R u+w "$WORK/provider"
  mkdir "$WORK/build"
  cp go.mod go.sum "$WORK/build/"
  cd "$WORK/build"
  step go mod edit -replace="$m=$WORK/provider"
  local cmd="$WORK/provider/cmd/pulumi-resource-kubernetes"
  # //go:generate go run ./generate.go, with this module's dependencies: writes the embedded files.
  step go build -o "$WORK/generate" "$cmd/generate.go"
  step env -C "$cmd" VERSION="$PULUMI_KUBERNETES_RELEASE" "$WORK/generate"
  step go build -trimpath -ldflags "-s -w -X $m/pkg/version.Version=$PULUMI_KUBERNETES_RELEASE" \
    -o "$1/pulumi-resource-kubernetes" "$m/cmd/pulumi-resource-kubernetes"
}

check_pulumi_kubernetes() {
  local bin="$1/pulumi-resource-kubernetes"
  # A provider is a gRPC server: started alone it prints its port and waits for the engine.
  local port; port=$(timeout 10 "$bin" 2>>"$LOG" | head -n 1) || true
  [[ "$port" =~ ^[0-9]+$ ]] || fail "pulumi-resource-kubernetes printed no port (got '$port')"
  # With the CLI built, ask the provider for its schema: the generated one, the release in it.
  local cli; cli="$(dir_of pulumi)/pulumi"
  [ -x "$cli" ] || { log "pulumi_kubernetes: pulumi CLI not built, schema check skipped"; return 0; }
  echo "+ pulumi package get-schema $bin" >>"$LOG"
  PULUMI_HOME="$WORK/pulumi-home" PULUMI_SKIP_UPDATE_CHECK=true "$cli" package get-schema "$bin" \
    >"$WORK/schema.json" 2>>"$LOG" || fail "pulumi package get-schema $bin failed"
  grep -qE "\"version\": ?\"$PULUMI_KUBERNETES_RELEASE\"" "$WORK/schema.json" ||
    fail "the provider's schema does not carry version $PULUMI_KUBERNETES_RELEASE"
}
