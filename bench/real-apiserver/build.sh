#!/usr/bin/env bash
# Builds kube-apiserver + kube-controller-manager (one binary, kapi) and etcd (etcdsrv) from a snapshot of
# openshift/microshift, whose vendor/ holds Kubernetes 1.36 and etcd (the only complete copy of their source
# reachable from the build machine). Usage: build.sh MICROSHIFT_GIT_DIR OUT_DIR [GOROOT]
#   MICROSHIFT_GIT_DIR: a bare clone or mirror (e.g. the agent tool `fetch github:openshift/microshift`)
#   OUT_DIR: where the source is checked out (OUT_DIR/src) and the binaries go (OUT_DIR/bin)
# About 8 minutes on 2 cores the first time, 4 GB of Go build cache.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
mirror=$1 out=$2
goroot=${3:-$("$here/go.sh")}
export PATH="$goroot/bin:$PATH" GOROOT="$goroot" GOFLAGS=-mod=vendor GOTOOLCHAIN=local GOPROXY=off
src="$out/src"
if [ ! -f "$src/go.mod" ]; then
  mkdir -p "$src"
  python3 "$here/checkout.py" "$mirror" "$src"
fi
mkdir -p "$src/cmd/kapi" "$src/etcd/cmd/etcdsrv" "$out/bin"
cp "$here/kapi/main.go" "$src/cmd/kapi/main.go"
cp "$here/etcdsrv/main.go" "$src/etcd/cmd/etcdsrv/main.go"
version=v1.36.2
ldflags="-X k8s.io/component-base/version.gitVersion=$version -X k8s.io/component-base/version.gitMajor=1 -X k8s.io/component-base/version.gitMinor=36"
(cd "$src" && go build -ldflags "$ldflags" -o "$out/bin/kapi" ./cmd/kapi)
(cd "$src/etcd" && go build -o "$out/bin/etcdsrv" ./cmd/etcdsrv)
# The field manager of the API server's and the controller manager's own writes is their program's name.
ln -sf kapi "$out/bin/kube-apiserver"
ln -sf kapi "$out/bin/kube-controller-manager"
"$out/bin/kube-apiserver" --version
