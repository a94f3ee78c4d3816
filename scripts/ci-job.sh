#!/usr/bin/env bash
# A CI job that runs chaos scenarios against a pgha-lab lab, as docs/ci.md describes: copy it into
# your pipeline as one step. It brings the lab up (building the local images when the cache has
# none), runs each scenario with your workload through it, keeps the reports and the lab's logs as
# artifacts, and removes the lab whatever happened. The test suite runs this very script
# (test/integration/ci-job.ts), so the page cannot drift from it.
#
# Settings (environment):
#   LAB          how to run lab (default: lab, from `npm link`; or "node /path/to/dist/lab/cli.js")
#   LAB_FILE     the lab.yaml (default: lab.yaml)
#   LAB_DIR      the lab directory (default: lab's own, labs/<name>)
#   SCENARIOS    scenarios to run, space-separated (default: failover switchover)
#   WORKLOAD     your command, run through each scenario with lab env's settings (default: none)
#   ARTIFACTS    where reports and logs go (default: artifacts)
# Exit: 0 when every scenario passed; otherwise the first failing scenario's exit code (1 a check
# failed, 2 infrastructure or an unknown outcome), after the cleanup.
set -euo pipefail

read -ra lab_cmd <<<"${LAB:-lab}"
lab_file=${LAB_FILE:-lab.yaml}
artifacts=${ARTIFACTS:-artifacts}
read -ra scenarios <<<"${SCENARIOS:-failover switchover}"
where=(--file "$lab_file")
if [[ -n ${LAB_DIR:-} ]]; then where+=(--dir "$LAB_DIR"); fi

lab() { "${lab_cmd[@]}" "$@"; }

# The cleanup step: whatever happened above, the lab goes, and its logs are kept first.
# shellcheck disable=SC2317  # run by the trap
cleanup() {
  local rc=$?
  local dir
  dir=${LAB_DIR:-$(dirname "$lab_file")/labs/$(sed -n 's/^name: *//p' "$lab_file" | head -n 1)}
  if [[ -d $dir/logs ]]; then cp -r "$dir/logs" "$artifacts/lab-logs"; fi
  lab down "${where[@]}" || rc=2
  exit "$rc"
}
trap cleanup EXIT

mkdir -p "$artifacts"
# No registry needed: the base image is built from Debian's mirror once, then cached by the engine.
if ! docker image inspect pgha-lab/base:trixie >/dev/null 2>&1; then lab image base; fi
lab up "${where[@]}"
lab status "${where[@]}" --json >"$artifacts/status-before.json"

status=0
for scenario in "${scenarios[@]}"; do
  run=(scenario "$scenario" "${where[@]}" --junit "$artifacts/$scenario.xml" --json "$artifacts/$scenario.json"
    --html "$artifacts/$scenario.html")
  if [[ -n ${WORKLOAD:-} ]]; then run+=(--workload "$WORKLOAD"); fi
  rc=0
  lab "${run[@]}" || rc=$?
  echo "ci-job: scenario $scenario exited $rc"
  if ((rc != 0 && status == 0)); then status=$rc; fi
done
lab status "${where[@]}" --json >"$artifacts/status-after.json" || true
exit "$status"
