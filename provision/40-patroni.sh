#!/usr/bin/env bash
# pgha-lab step 40: install Patroni's configuration and start Patroni, which bootstraps or clones
# PostgreSQL. pgha-lab: the document never shows this configuration; nodes/<node>/patroni.yml is it.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
lab_init patroni "${1:-}"
: "${PATRONI_BIN:?}" "${PATRONI_CONFIG:?}" "${PG_DATA_DIR:?}" "${PATRONI_REST_PORT:?}" "${ETCD_CLIENT_PORT:?}" "${NODE_INDEX:?}" "${LAB_SIZE:?}"
: "${PATRONI_UNIT:?}"

[[ -x $PATRONI_BIN ]] || die "patroni is not installed at $PATRONI_BIN (run 10-packages.sh first)"
id postgres >/dev/null 2>&1 || die "user postgres does not exist (run 10-packages.sh first)"

# Patroni writes the data dir itself; its parent must exist and belong to postgres.
parent=$(dirname "$PG_DATA_DIR")
if [[ ! -d $parent || $(stat -c %U "$parent") != postgres ]]; then
  install -d -o postgres -g postgres -m 755 "$parent"
  changed "data dir parent $parent: owned by postgres"
fi

config_changed=0
mkdir -p "$(dirname "$PATRONI_CONFIG")"
if install_file "$NODE_DIR/patroni.yml" "$PATRONI_CONFIG" 600 postgres postgres; then config_changed=1; fi

# patronictl reads ~/.config/patroni/patronictl.yaml when it is given no -c: root's (lab exec, lab ssh,
# sudo on a VM) points at Patroni's own configuration, so `patronictl list` works as typed.
patronictl_default=/root/.config/patroni/patronictl.yaml
if [[ $(readlink "$patronictl_default" 2>/dev/null || true) != "$PATRONI_CONFIG" ]]; then
  mkdir -p "$(dirname "$patronictl_default")"
  ln -sfn "$PATRONI_CONFIG" "$patronictl_default"
  changed "$patronictl_default: points at $PATRONI_CONFIG"
fi

units_changed=0
if ! systemctl cat "$PATRONI_UNIT" >/dev/null 2>&1; then
  # Some packagings ship no unit: install one equivalent to Debian's.
  if install_file "$LAB_DIR/files/$PATRONI_UNIT" "/etc/systemd/system/$PATRONI_UNIT" 644 root root; then units_changed=1; fi
fi
# The lab's drop-in decides how Patroni starts (Type=simple, this configuration, softdog loaded
# first), whichever package installed the unit: Debian's Type=simple or Patroni 4.1's Type=notify.
if install_file "$LAB_DIR/files/$PATRONI_UNIT.conf" "/etc/systemd/system/$PATRONI_UNIT.d/10-lab-config.conf" 644 root root; then units_changed=1; fi
if ((units_changed)); then systemctl daemon-reload; fi

unit_enable "$PATRONI_UNIT"
if systemctl is-active --quiet "$PATRONI_UNIT"; then
  if ((config_changed || units_changed)); then
    changed "restart (configuration changed)"
    systemctl restart "$PATRONI_UNIT"
  else
    say "running, configuration unchanged"
  fi
else
  changed "start"
  systemctl start "$PATRONI_UNIT"
fi

# What to wait for. Patroni cannot use etcd before etcd has decided its cluster version, which it
# does once every member has started (until then it reports 3.0.0: Patroni picks etcd's /v3alpha API,
# which etcd 3.4+ does not serve, and waits). On a one-at-a-time `vagrant up` that is when the last
# node starts etcd. So no node waits for what only a later node can bring; the last node waits for
# every member, then for the whole Patroni cluster, so that `vagrant up` ends with the lab ready.
etcd_cluster_version() { curl -s --max-time 3 "http://127.0.0.1:$ETCD_CLIENT_PORT/version" | sed -n 's/.*"etcdcluster": *"\([0-9.]*\)".*/\1/p'; }
etcd_version_decided() {
  local v
  v=$(etcd_cluster_version)
  [[ -n $v && $v != 3.0.0 ]]
}
rest_answers() { [[ $(curl -s -o /dev/null -w '%{http_code}' --max-time 3 "http://127.0.0.1:$PATRONI_REST_PORT/patroni" || true) != 000 ]]; }
# cluster_complete: every node is a member, one leader runs and every other member runs or streams.
cluster_complete() {
  curl -s --max-time 3 "http://127.0.0.1:$PATRONI_REST_PORT/cluster" | python3 -c '
import json, sys
size = int(sys.argv[1])
try:
    members = json.load(sys.stdin).get("members", [])
except ValueError:
    sys.exit(1)
leaders = [m for m in members if m.get("role") in ("leader", "standby_leader") and m.get("state") == "running"]
others = [m for m in members if m not in leaders and m.get("state") in ("running", "streaming")]
sys.exit(0 if len(members) == size and len(leaders) == 1 and len(others) == size - 1 else 1)
' "$LAB_SIZE"
}

last=$((NODE_INDEX == LAB_SIZE))
if ((last)); then
  wait_for "etcd's cluster version decided (every member has started)" 120 5 etcd_version_decided ||
    die "etcd never decided its cluster version: a member never started (etcdctl member list; journalctl -u etcd on each node)"
fi
if etcd_version_decided; then
  wait_for "Patroni's REST API on :$PATRONI_REST_PORT" 45 2 rest_answers ||
    die "Patroni's REST API does not answer on port $PATRONI_REST_PORT after 90 s (journalctl -u $PATRONI_UNIT)"
  state=$(curl -s --max-time 3 "http://127.0.0.1:$PATRONI_REST_PORT/patroni" || true)
  say "REST API answers: $(sed -E 's/.*"state": ?"([^"]*)".*"role": ?"([^"]*)".*/state \1, role \2/' <<<"$state")"
else
  say "not waiting for Patroni: etcd's cluster version is not decided until every member has started (the last node waits for the cluster)"
fi
if ((last)); then
  wait_for "the cluster: $LAB_SIZE members, one leader, every replica running" 90 2 cluster_complete ||
    die "the Patroni cluster is not complete after 180 s (patronictl -c $PATRONI_CONFIG list)"
  patronictl -c "$PATRONI_CONFIG" list 2>/dev/null | sed 's/^/    /' || true
fi
say "done"
