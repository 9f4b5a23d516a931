#!/usr/bin/env bash
# The repository's one "run all tests" command.
#   scripts/test.sh                      # everything
#   scripts/test.sh --filter 'Category!=Integration'   # extra arguments go to `dotnet test`
# Installs the pinned tools (scripts/install-tools.sh), puts .tools/bin first on PATH, builds and
# runs every test project of GitOps.Operator.sln with a TRX logger, copies one TRX per test project
# to .ci/out/test-results/<Project>.trx, and prints as its last line "N passed, M failed" summed
# over all projects (skipped tests are not counted). Exits non-zero when a test failed, the build
# failed or the tools could not be installed; the last line then shows at least 1 failed.
#
# Test projects run one after another (-m:1): xunit already spreads the tests of one assembly over
# both cores, and integration tests (sandbox servers, git servers, real processes) are timing
# sensitive, so running assemblies side by side on 2 cores gains little and risks flakes. The build
# measured the same with -m:1 and the default. Pass -m:2 (it comes later, so it wins) to override.
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo_root"

out_dir="$repo_root/.ci/out"
results_dir="$out_dir/test-results"
log_file="$out_dir/test.log"
trx_name="gitops-test-run.trx" # written by each project into its own <project>/TestResults/

summary() { # summary PASSED FAILED: the closing line every caller (and CI) reads
  printf '%s passed, %s failed\n' "$1" "$2"
}
# counter COUNTERS_ELEMENT NAME: one attribute of a TRX <Counters .../> element, 0 when absent.
counter() {
  local v
  v="$(printf '%s' "$1" | sed -n "s/.* $2=\"\([0-9]*\)\".*/\1/p")"
  printf '%s' "${v:-0}"
}

if ! "$repo_root/scripts/install-tools.sh"; then
  echo "test.sh: scripts/install-tools.sh failed; no test was run" >&2
  summary 0 1
  exit 1
fi
export PATH="$repo_root/.tools/bin:$PATH"
export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

mkdir -p "$out_dir"
rm -rf "$results_dir"
mkdir -p "$results_dir"
# Each project writes its TRX under its own default results folder, so parallel or same-second
# runs never overwrite each other (one shared --results-directory makes every project write the
# same LogFileName, and LogFilePrefix only adds a timestamp to the second).
find "$repo_root" -path "$repo_root/.git" -prune -o -path "$repo_root/.tools" -prune -o \
  -path '*/TestResults/*' -name "$trx_name" -type f -print0 | xargs -0r rm -f

echo "test.sh: dotnet test GitOps.Operator.sln $* (log: .ci/out/test.log)"
set +e
dotnet test GitOps.Operator.sln -m:1 --logger "trx;LogFileName=$trx_name" "$@" </dev/null 2>&1 |
  tee "$log_file"
rc=${PIPESTATUS[0]}
set -e

passed=0
failed=0
projects=0
while IFS= read -r -d '' trx; do
  project="$(basename "$(dirname "$(dirname "$trx")")")"
  cp "$trx" "$results_dir/$project.trx"
  projects=$((projects + 1))
  counters="$(grep -o '<Counters [^>]*>' "$trx" | head -n 1 || true)"
  p=$(counter "$counters" passed)
  bad=$(( $(counter "$counters" failed) + $(counter "$counters" error) \
    + $(counter "$counters" timeout) + $(counter "$counters" aborted) ))
  # A run the platform marked Failed (a crashed test host, say) counts even with no failed test.
  if [ "$bad" = 0 ] && grep -q '<ResultSummary outcome="\(Failed\|Error\|Aborted\|Timeout\)"' "$trx"; then
    bad=1
  fi
  printf 'test.sh: %-28s %4s passed, %s failed\n' "$project" "$p" "$bad"
  passed=$((passed + p))
  failed=$((failed + bad))
done < <(find "$repo_root" -path "$repo_root/.git" -prune -o -path "$repo_root/.tools" -prune -o \
  -path '*/TestResults/*' -name "$trx_name" -type f -print0 | sort -z)

if [ "$rc" != 0 ]; then
  echo "test.sh: dotnet test exited with $rc" >&2
  if grep -qE ': error [A-Z]+[0-9]+' "$log_file"; then
    echo "test.sh: the build failed; its errors:" >&2
    grep -E ': error [A-Z]+[0-9]+' "$log_file" | sort -u | head -n 20 >&2
  fi
  # The build or the test host failed without a failed test in any TRX: still report a failure.
  [ "$failed" -gt 0 ] || failed=1
fi
echo "test.sh: TRX files in .ci/out/test-results ($projects project(s))"
summary "$passed" "$failed"
if [ "$failed" != 0 ]; then exit 1; fi
