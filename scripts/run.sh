#!/usr/bin/env bash
# The main job: start the embedded Kubernetes API sandbox and show kubectl working against it.
# Installs the pinned tools first (scripts/install-tools.sh), then serves until Ctrl-C.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-tools.sh >/dev/null
export PATH="$PWD/.tools/bin:$PATH"
dotnet build src/GitOps.Operator -c Release -nologo -v quiet >/dev/null
port="${GITOPS_SANDBOX_PORT:-6443}"
kubeconfig="$PWD/.tools/sandbox.kubeconfig"
dotnet src/GitOps.Operator/bin/Release/net10.0/gitops.dll sandbox --listen "127.0.0.1:$port" --kubeconfig-out "$kubeconfig" &
server=$!
trap 'kill $server 2>/dev/null || true' EXIT INT TERM
for _ in $(seq 1 100); do
  kubectl --kubeconfig "$kubeconfig" version >/dev/null 2>&1 && break
  sleep 0.1
done
echo
echo "\$ kubectl apply -f crds/application.yaml"
kubectl --kubeconfig "$kubeconfig" apply -f crds/application.yaml
echo "\$ kubectl get namespaces"
kubectl --kubeconfig "$kubeconfig" get namespaces
echo
echo "Try it yourself (Ctrl-C stops the sandbox):"
echo "  export KUBECONFIG=$kubeconfig PATH=$PWD/.tools/bin:\$PATH"
echo "  kubectl api-resources"
wait $server
