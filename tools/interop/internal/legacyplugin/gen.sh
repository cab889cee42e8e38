#!/bin/sh
# Regenerates gfsdk_interop_legacy.pb.go from gfsdk_interop_legacy.proto with buf (the repository's
# node_modules/.bin/buf) and protoc-gen-go at this module's protobuf version.
# gfsdk_interop_legacy.proto imports the SDK's backend.proto, which is copied from the module
# cache into a scratch module, so that the generated code refers to the SDK's
# own pluginv2.PluginContext and pluginv2.StatusResult.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../../../.." && pwd)
sdk=$(go list -m -f '{{.Dir}}' github.com/grafana/grafana-plugin-sdk-go)
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
cp "$sdk/proto/backend.proto" "$here/gfsdk_interop_legacy.proto" "$scratch/"
cat >"$scratch/buf.gen.yaml" <<YAML
version: v2
plugins:
  - local: ["go", "run", "google.golang.org/protobuf/cmd/protoc-gen-go"]
    out: out
    opt:
      - paths=source_relative
      - Mbackend.proto=github.com/grafana/grafana-plugin-sdk-go/genproto/pluginv2
      - Mgfsdk_interop_legacy.proto=github.com/gfsdk/gfsdk/tools/interop/internal/legacyplugin
YAML
(cd "$here" && "$repo/node_modules/.bin/buf" generate "$scratch" --template "$scratch/buf.gen.yaml" --path "$scratch/gfsdk_interop_legacy.proto" -o "$scratch")
cp "$scratch/out/gfsdk_interop_legacy.pb.go" "$here/gfsdk_interop_legacy.pb.go"
