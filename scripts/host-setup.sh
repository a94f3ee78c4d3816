#!/usr/bin/env bash
# Prepares a fresh Debian/Ubuntu machine for pgha-lab (run as root): installs what it lacks and
# starts the Docker engine. Safe to run again: it installs and starts only what is missing.
set -euo pipefail

step() { printf '==> %s\n' "$*"; }

missing=()
command -v dockerd >/dev/null || missing+=(docker.io)
command -v vagrant >/dev/null || missing+=(vagrant)
command -v shellcheck >/dev/null || missing+=(shellcheck)
command -v debootstrap >/dev/null || missing+=(debootstrap)
# Debian's Patroni gives the tests a real `patroni --validate-config`.
command -v patroni >/dev/null || missing+=(patroni)
if ((${#missing[@]} > 0)); then
  step "installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

if ! docker info >/dev/null 2>&1; then
  step "starting dockerd (log: /var/log/dockerd.log)"
  if command -v systemctl >/dev/null && systemctl start docker 2>/dev/null; then :; else
    setsid dockerd >/var/log/dockerd.log 2>&1 </dev/null &
  fi
  for _ in $(seq 1 60); do
    docker info >/dev/null 2>&1 && break
    sleep 1
  done
  if ! docker info >/dev/null 2>&1; then
    tail -n 30 /var/log/dockerd.log >&2 || true
    echo "the Docker engine did not come up within 60 s" >&2
    exit 1
  fi
fi
step "host ready: $(docker version --format 'Docker engine {{.Server.Version}}')"
