#!/usr/bin/env bash
# Starts etcd, kube-apiserver (https://127.0.0.1:6443) and kube-controller-manager from BIN, with their data,
# certificates (pki.sh) and logs in DIR. Usage: start.sh BIN DIR. Stop: pkill -f "$BIN/" (etcd last).
# The controller manager leaves out the HPA controller (the benchmark's HPA stand-in plays it) and may send
# 1,000 requests/s (its default 20 queues Deployment work behind its own rate limit); there are no nodes:
# `GitOps.Loop.Bench stand-ins --kubeconfig DIR/admin.kubeconfig` or `--pod-stand-in true` plays the kubelet.
set -euo pipefail
bin=$(cd "$1" && pwd) dir=$2
here=$(cd "$(dirname "$0")" && pwd)
"$here/pki.sh" "$dir" >/dev/null
cd "$dir"
setsid nohup "$bin/etcdsrv" "$PWD/etcd" > etcd.log 2>&1 &
for _ in $(seq 1 60); do curl -sf http://127.0.0.1:2379/health >/dev/null && break; sleep 1; done
setsid nohup "$bin/kube-apiserver" \
  --etcd-servers=http://127.0.0.1:2379 --secure-port=6443 --bind-address=127.0.0.1 --advertise-address=192.0.2.2 \
  --tls-cert-file=pki/apiserver.crt --tls-private-key-file=pki/apiserver.key --client-ca-file=pki/ca.crt \
  --service-account-issuer=https://kubernetes.default.svc --service-account-key-file=pki/sa.pub \
  --service-account-signing-key-file=pki/sa.key --service-cluster-ip-range=10.96.0.0/16 \
  --authorization-mode=Node,RBAC --allow-privileged=true > apiserver.log 2>&1 &
for _ in $(seq 1 120); do kubectl --kubeconfig admin.kubeconfig get --raw /readyz >/dev/null 2>&1 && break; sleep 1; done
kubectl --kubeconfig admin.kubeconfig get --raw /readyz; echo
setsid nohup "$bin/kube-controller-manager" controller-manager --kubeconfig=admin.kubeconfig --leader-elect=false \
  --controllers='*,-horizontal-pod-autoscaler-controller' --service-account-private-key-file=pki/sa.key \
  --root-ca-file=pki/ca.crt --use-service-account-credentials=false --kube-api-qps=1000 --kube-api-burst=2000 \
  --concurrent-deployment-syncs=10 --concurrent-replicaset-syncs=10 > kcm.log 2>&1 &
echo "kubeconfig: $PWD/admin.kubeconfig"
