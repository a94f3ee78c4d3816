#!/usr/bin/env bash
# The main job end to end: generate Percona's architecture (three nodes, HAProxy, PgBouncer), bring it
# up on Docker, show the application's connection settings, run the failover scenario with clients on
# every path.
# Run from the repository after `npm ci`; the Docker engine must run (scripts/host-setup.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
npm run --silent build
root=$PWD
lab() { node "$root/dist/lab/cli.js" "$@"; }

mkdir -p demo
cd demo
[ -f lab.yaml ] || cp "$root/examples/docker-debian.yaml" lab.yaml
if ! docker image inspect pgha-lab/base:trixie >/dev/null 2>&1; then
  lab image base
fi
lab generate --quiet
lab up
lab status
lab env
lab scenario failover --json failover.json --html failover.html
echo "report: $PWD/failover.html; remove the lab with: (cd demo && node ../dist/lab/cli.js down)"
