# syntax=docker/dockerfile:1
# GitOps.Operator image: `gitops operator` on a small .NET runtime base, with git, ssh, helm and
# kustomize (the renderers), running as a non-root user. No HEALTHCHECK: Kubernetes probes
# /healthz and /readyz (charts/gitops-operator).
#
#   docker build -t gitops-operator .
#   docker buildx build --platform linux/amd64,linux/arm64 -t REPO:TAG --push .
#
# tests/GitOps.Operator.Tests/Install/PublishedBinary runs this file's `dotnet` RUN lines of the
# build stage (same COPY set, same arguments, TARGETARCH=amd64) and then the published operator
# against the sandbox: keep every dotnet step on one RUN line of its own.

ARG DOTNET_VERSION=10.0

# ---- build: restore, then publish with Native AOT ----------------------------------------------
# One native executable (no .NET runtime in the image). Measured on the 2-core dev machine against the
# sandbox (bench/README.md, issue 21):
#   JIT, framework-dependent (before)  ready 92 MiB; 1,000 apps: RSS peak 218 / steady 194 MiB, cold-sync CPU 24.5 s
#   Native AOT                         ready 74 MiB; 1,000 apps: RSS peak 146-153 / steady 131-136 MiB (with the
#                                      GC's ConserveMemory=7 the project sets), cold-sync CPU 9-12 s
#   Native AOT without KubernetesClient's typed client (this)
#                                      ready 45 MiB; 1,000 apps: RSS peak 123-124 / steady 119 MiB; a 33 MB executable
# Native AOT links with the platform's C toolchain, so this stage runs on the target platform (no
# $BUILDPLATFORM cross-build: an arm64 image builds under emulation, or on an arm64 builder).
FROM mcr.microsoft.com/dotnet/sdk:${DOTNET_VERSION}-noble AS build
ARG TARGETARCH
ARG PUBLISH_DIR=/app
ENV DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1
RUN set -eux; \
    apt-get update; \
    apt-get install -y --no-install-recommends clang zlib1g-dev; \
    rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY Directory.Build.props Directory.Packages.props ./
COPY src/GitOps.Engine/GitOps.Engine.csproj src/GitOps.Engine/
COPY src/GitOps.Sandbox/GitOps.Sandbox.csproj src/GitOps.Sandbox/
COPY src/GitOps.Operator/GitOps.Operator.csproj src/GitOps.Operator/
RUN dotnet restore src/GitOps.Operator/GitOps.Operator.csproj -a "$TARGETARCH" -p:PublishAot=true
COPY src/ src/
# The binary embeds the Application CRD and the demo's examples (gitops demo needs no checkout).
COPY crds/ crds/
COPY examples/ examples/
RUN dotnet publish src/GitOps.Operator/GitOps.Operator.csproj --no-restore -c Release -a "$TARGETARCH" -p:PublishAot=true -p:DebugType=none -p:StripSymbols=true -p:GenerateDocumentationFile=false -o "$PUBLISH_DIR"

# ---- tools: helm and kustomize, pinned, checksums verified -------------------------------------
FROM --platform=$BUILDPLATFORM mcr.microsoft.com/dotnet/sdk:${DOTNET_VERSION}-noble AS tools
ARG TARGETARCH
ARG HELM_VERSION=v4.1.4
ARG HELM_SHA256_amd64=70b2c30a19da4db264dfd68c8a3664e05093a361cefd89572ffb36f8abfa3d09
ARG HELM_SHA256_arm64=13d03672be289045d2ff00e4e345d61de1c6f21c1257a45955a30e8ae036d8f1
ARG KUSTOMIZE_VERSION=v5.7.1
ARG KUSTOMIZE_SHA256_amd64=ea375e7372f9aa029129d4b2d16c66b7750b7f1213c4f66f910d981c895818d8
ARG KUSTOMIZE_SHA256_arm64=4261a040217df3bd6896597c3986d1465925726e4f22a945304b5233a4dcdbda
WORKDIR /tools
RUN set -eux; \
    command -v curl >/dev/null || { apt-get update; apt-get install -y --no-install-recommends curl; }; \
    case "$TARGETARCH" in \
      amd64) helm_sha="$HELM_SHA256_amd64"; kustomize_sha="$KUSTOMIZE_SHA256_amd64" ;; \
      arm64) helm_sha="$HELM_SHA256_arm64"; kustomize_sha="$KUSTOMIZE_SHA256_arm64" ;; \
      *) echo "unsupported TARGETARCH $TARGETARCH" >&2; exit 1 ;; \
    esac; \
    curl -fsSLo helm.tgz "https://get.helm.sh/helm-${HELM_VERSION}-linux-${TARGETARCH}.tar.gz"; \
    echo "$helm_sha  helm.tgz" | sha256sum -c -; \
    tar -xzf helm.tgz --strip-components=1 "linux-${TARGETARCH}/helm"; \
    curl -fsSLo kustomize.tgz "https://github.com/kubernetes-sigs/kustomize/releases/download/kustomize%2F${KUSTOMIZE_VERSION}/kustomize_${KUSTOMIZE_VERSION}_linux_${TARGETARCH}.tar.gz"; \
    echo "$kustomize_sha  kustomize.tgz" | sha256sum -c -; \
    tar -xzf kustomize.tgz kustomize; \
    chmod 0755 helm kustomize; \
    rm -f helm.tgz kustomize.tgz

# ---- runtime: the native executable's dependencies only (Ubuntu 24.04), git + ssh, non-root -----
FROM mcr.microsoft.com/dotnet/runtime-deps:${DOTNET_VERSION}-noble AS runtime
ARG DOTNET_VERSION
ARG VERSION=0.0.0-dev
ARG REVISION=unknown
ARG CREATED=unknown
LABEL org.opencontainers.image.title="gitops-operator" \
      org.opencontainers.image.description="A Kubernetes-native GitOps operator: syncs Application resources from Git" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.revision="${REVISION}" \
      org.opencontainers.image.created="${CREATED}" \
      org.opencontainers.image.base.name="mcr.microsoft.com/dotnet/runtime-deps:${DOTNET_VERSION}-noble"
RUN set -eux; \
    apt-get update; \
    apt-get install -y --no-install-recommends git openssh-client ca-certificates; \
    rm -rf /var/lib/apt/lists/*
COPY --from=tools /tools/helm /tools/kustomize /usr/local/bin/
COPY --from=build /app /app
# HOME and TMPDIR under /tmp: the chart mounts an emptyDir there and the root filesystem read-only.
ENV HOME=/tmp \
    TMPDIR=/tmp \
    DOTNET_NOLOGO=1 \
    DOTNET_CLI_TELEMETRY_OPTOUT=1 \
    POD_NAMESPACE=default
# The base image's non-root user `app` (uid/gid 1654); numeric, so runAsNonRoot can check it.
USER 1654:1654
WORKDIR /app
EXPOSE 8080
ENTRYPOINT ["/app/gitops"]
CMD ["operator", "--listen=0.0.0.0:8080"]
