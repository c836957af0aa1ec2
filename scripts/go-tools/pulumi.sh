# The Pulumi CLI, from the wrapper module tools/go/pulumi: `go install` refuses
# github.com/pulumi/pulumi/pkg/v3 (its go.mod replaces the SDK with ../sdk), so the wrapper
# requires pkg/v3 and sdk/v3 at one version and copies pkg/v3's module-to-module replace.
# Stamped and tagged as the release build does (.goreleaser.yml): `pulumi version` prints it,
# and the Automation API (infra/engine) checks it.
pulumi_version="$PULUMI_VERSION"
pulumi_binaries="pulumi"

build_pulumi() {
  in_wrapper pulumi github.com/pulumi/pulumi/pkg/v3 "$PULUMI_VERSION"
  local have; have=$(go list -m -f '{{.Version}}' github.com/pulumi/pulumi/sdk/v3)
  [ "$have" = "$PULUMI_VERSION" ] || fail "tools/go/pulumi requires sdk/v3 $have, not $PULUMI_VERSION like pkg/v3"
  step go build -trimpath -tags osusergo,grpcnotrace \
    -ldflags "-s -w -X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=$PULUMI_VERSION" \
    -o "$1/pulumi" github.com/pulumi/pulumi/pkg/v3/cmd/pulumi
}

check_pulumi() {
  expect "$PULUMI_VERSION" "$1/pulumi" version
}
