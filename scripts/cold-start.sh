#!/usr/bin/env bash
# Makes this machine's Docker state a new machine's, for CI (.ci/run runs it first): no image named
# pgha-lab/*, and no container, network, volume or image carrying one of the project's labels
# (pgha-lab.lab, pgha-lab.role, pgha-lab.node), on engine one; engine two (scripts/engine2.sh)
# stopped by its own pid and its data-root, which holds the seat image it was given, removed.
# Every image is a cache the project builds itself, so each run builds them all, as a new machine
# does, and meets the races a new machine meets (docs/testing.md, "A new machine's CI").
# Nothing without the project's name or labels is touched. Never run it where other labs are in use.
set -euo pipefail
cd "$(dirname "$0")/.."

LABELS=(pgha-lab.lab pgha-lab.role pgha-lab.node)
ENGINE2_DATA=/var/lib/pgha-lab-engine2
CGROUP2_DATA=/var/lib/pgha-lab-cg2

# Ids of one kind of object carrying any of the labels (a label filter matches the key alone).
labelled() {
  local kind=$1
  shift
  for label in "${LABELS[@]}"; do docker "$kind" ls -q "$@" --filter "label=$label"; done | sort -u
}

mapfile -t containers < <(labelled container -a)
[[ ${#containers[@]} -eq 0 ]] || { echo "cold start: removing ${#containers[@]} containers"; docker rm -f -v "${containers[@]}" >/dev/null; }
mapfile -t networks < <(labelled network)
[[ ${#networks[@]} -eq 0 ]] || { echo "cold start: removing ${#networks[@]} networks"; docker network rm "${networks[@]}" >/dev/null; }
mapfile -t volumes < <(labelled volume)
[[ ${#volumes[@]} -eq 0 ]] || { echo "cold start: removing ${#volumes[@]} volumes"; docker volume rm "${volumes[@]}" >/dev/null; }

# Names first (an image that also has a name of someone else's keeps it, and stays), then what
# still carries the labels: derived images go before the ones they were made from, hence passes.
mapfile -t named < <(docker image ls --format '{{.Repository}}:{{.Tag}}' | grep '^pgha-lab/' | grep -v ':<none>$' || true)
[[ ${#named[@]} -eq 0 ]] || { echo "cold start: removing ${#named[@]} images named pgha-lab/*"; docker image rm "${named[@]}" >/dev/null; }
for _ in 1 2 3; do
  mapfile -t images < <(labelled image -a)
  [[ ${#images[@]} -gt 0 ]] || break
  echo "cold start: removing ${#images[@]} labelled images"
  docker image rm "${images[@]}" >/dev/null 2>&1 || true
done
mapfile -t left < <(labelled image -a)
[[ ${#left[@]} -eq 0 ]] || echo "cold start: ${#left[@]} labelled images are also named otherwise and stay: ${left[*]}" >&2

# The second engines hold copies of the images (the workshop's seat image, the cgroup v2 lab's base
# and node images): each is stopped by its own pid and its data-root removed.
forget_engine() { # forget_engine SCRIPT DATA-ROOT WHAT
  bash "scripts/$1" stop
  [[ -d $2 ]] || return 0
  # Never through a mount: a killed engine can leave its containers' overlays mounted there.
  while read -r point; do umount "$point"; done < <(awk -v root="$2/" 'index($2, root) == 1 { print $2 }' /proc/self/mounts | sort -r)
  rm -rf "$2"
  echo "cold start: removed $3's data-root $2"
}
forget_engine engine2.sh "$ENGINE2_DATA" 'engine two'
forget_engine engine-cgroup2.sh "$CGROUP2_DATA" 'the cgroup v2 engine'
