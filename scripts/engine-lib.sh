# shellcheck shell=bash
# Shared by the scripts that run a second Docker engine on this host (engine2.sh, engine-cgroup2.sh):
# a daemon known by its pidfile, stopped by its own pid (never by name: engine one's dockerd has the
# same name), and the engine's own default bridge. Sourced, not run.

# True when the pidfile names a live process.
pid_alive() { [[ -f $1 ]] && kill -0 "$(cat "$1")" 2>/dev/null; }

# Stops the process in a pidfile: TERM, then KILL after 30 s; the pidfile goes either way.
stop_pid() {
  local pidfile=$1 what=$2 pid
  if pid_alive "$pidfile"; then
    pid=$(cat "$pidfile")
    kill -TERM "$pid"
    for _ in $(seq 1 60); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.5
    done
    if kill -0 "$pid" 2>/dev/null; then
      echo "$what (pid $pid) did not stop within 30 s; killing it" >&2
      kill -KILL "$pid" 2>/dev/null || true
    fi
  fi
  rm -f "$pidfile"
}

# The engine's default bridge, with an address of its own. Never `--bridge none` instead: an engine
# started with it deletes docker0, engine one's default bridge.
bridge_up() {
  local name=$1 address=$2
  if ! ip link show "$name" >/dev/null 2>&1; then
    ip link add "$name" type bridge
    ip addr add "$address" dev "$name"
    ip link set "$name" up
  fi
}

bridge_down() { if ip link show "$1" >/dev/null 2>&1; then ip link del "$1"; fi; }

# Waits (bounded: TRIES half-seconds) until the engine at HOST answers, then prints HOST; else
# shows its log's tail and fails.
await_engine() {
  local host=$1 tries=$2 what=$3 log=$4
  for _ in $(seq 1 "$tries"); do
    docker -H "$host" info >/dev/null 2>&1 && { echo "$host"; return 0; }
    sleep 0.5
  done
  tail -n 20 "$log" >&2 || true
  echo "$what did not answer within $((tries / 2)) s (log: $log)" >&2
  return 1
}
