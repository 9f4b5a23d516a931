#!/usr/bin/env bash
# The main job: `gitops demo`. Starts the embedded Kubernetes API sandbox, a loopback Git server
# holding a copy of examples/, and the operator; shows the apps syncing, a drift healed and a commit
# rolled out; then keeps running until Ctrl-C with kubectl and `gitops` usable against it.
# Arguments go to `gitops demo` (e.g. --no-interactive for scripts and CI).
# Installs the pinned tools first (scripts/install-tools.sh: kubectl, helm, promtool, git).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-tools.sh >/dev/null
export PATH="$PWD/.tools/bin:$PATH"
build_log="$(mktemp)"
if ! dotnet build src/GitOps.Operator -c Release -nologo -v quiet >"$build_log" 2>&1; then
  cat "$build_log" >&2
  echo "run.sh: the build failed (above)" >&2
  exit 1
fi
rm -f "$build_log"
# A `gitops` launcher next to the pinned tools: `export PATH="$PWD/.tools/bin:$PATH"` puts it on PATH.
printf '#!/usr/bin/env bash\nexec dotnet "%s/src/GitOps.Operator/bin/Release/net10.0/gitops.dll" "$@"\n' "$PWD" > .tools/bin/gitops
chmod +x .tools/bin/gitops
exec dotnet src/GitOps.Operator/bin/Release/net10.0/gitops.dll demo "$@"
