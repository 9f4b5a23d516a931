#!/usr/bin/env bash
# Certificates for a loopback control plane in DIR (default .): a CA, the API server's serving certificate
# (127.0.0.1, kubernetes.default.svc), an admin client certificate (O=system:masters), the service-account
# signing key, and DIR/admin.kubeconfig. Idempotent: keeps what exists.
set -euo pipefail
dir=${1:-.}
mkdir -p "$dir/pki" && cd "$dir/pki"
[ -f ca.key ] || { openssl genrsa -out ca.key 2048; openssl req -x509 -new -key ca.key -subj /CN=gitops-bench-ca -days 3650 -out ca.crt; }
if [ ! -f apiserver.crt ]; then
  printf 'subjectAltName=IP:127.0.0.1,DNS:localhost,IP:10.96.0.1,DNS:kubernetes.default.svc\n' > san.ext
  openssl genrsa -out apiserver.key 2048
  openssl req -new -key apiserver.key -subj /CN=kube-apiserver -out apiserver.csr
  openssl x509 -req -in apiserver.csr -CA ca.crt -CAkey ca.key -CAcreateserial -days 3650 -extfile san.ext -out apiserver.crt
fi
if [ ! -f admin.crt ]; then
  openssl genrsa -out admin.key 2048
  openssl req -new -key admin.key -subj "/CN=admin/O=system:masters" -out admin.csr
  openssl x509 -req -in admin.csr -CA ca.crt -CAkey ca.key -CAcreateserial -days 3650 -out admin.crt
fi
[ -f sa.key ] || { openssl genrsa -out sa.key 2048; openssl rsa -in sa.key -pubout -out sa.pub; }
cd ..
b64() { base64 -w0 < "$1"; }
cat > admin.kubeconfig <<KUBECONFIG
apiVersion: v1
kind: Config
clusters:
- name: real
  cluster: {server: "https://127.0.0.1:6443", certificate-authority-data: $(b64 pki/ca.crt)}
users:
- name: admin
  user: {client-certificate-data: $(b64 pki/admin.crt), client-key-data: $(b64 pki/admin.key)}
contexts:
- name: real
  context: {cluster: real, user: admin}
current-context: real
KUBECONFIG
echo "$PWD/admin.kubeconfig"
