#!/usr/bin/env bash
# pgha-lab step 40: install Patroni's configuration and start Patroni, which bootstraps or clones
# PostgreSQL. pgha-lab: the document never shows this configuration; nodes/<node>/patroni.yml is it.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
lab_init patroni "${1:-}"
: "${PATRONI_CONFIG:?}" "${PG_DATA_DIR:?}" "${PATRONI_REST_PORT:?}" "${ETCD_CLIENT_PORT:?}" "${PATRONI_UNIT:?}"

command -v patroni >/dev/null || die "patroni is not installed (run 10-packages.sh first)"
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

units_changed=0
patroni_bin=$(command -v patroni)
if ! systemctl cat "$PATRONI_UNIT" >/dev/null 2>&1; then
  # Some packagings ship no unit: install one equivalent to Debian's.
  if install_file "$LAB_DIR/files/$PATRONI_UNIT" "/etc/systemd/system/$PATRONI_UNIT" 644 root root; then units_changed=1; fi
fi
# Debian's unit runs `patroni /etc/patroni/config.yml` only if that file exists: point it at ours.
dropin="[Service]
ExecStart=
ExecStart=$patroni_bin $PATRONI_CONFIG
[Unit]
ConditionPathExists=
ConditionPathExists=$PATRONI_CONFIG"
if write_file "/etc/systemd/system/$PATRONI_UNIT.d/10-lab-config.conf" 644 "# pgha-lab: run Patroni with the lab's configuration
$dropin"; then units_changed=1; fi
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

rest_answers() { [[ $(curl -s -o /dev/null -w '%{http_code}' --max-time 3 "http://127.0.0.1:$PATRONI_REST_PORT/patroni" || true) != 000 ]]; }
if etcdctl --dial-timeout=3s --command-timeout=5s --endpoints="http://127.0.0.1:$ETCD_CLIENT_PORT" endpoint health >/dev/null 2>&1; then
  # wait_for runs commands, not functions: curl with --fail-with-body would reject 503, so test the code.
  for ((i = 1; i <= 45; i++)); do
    if rest_answers; then break; fi
    sleep 2
  done
  rest_answers || die "Patroni's REST API does not answer on port $PATRONI_REST_PORT after 90 s (journalctl -u $PATRONI_UNIT)"
  state=$(curl -s --max-time 3 "http://127.0.0.1:$PATRONI_REST_PORT/patroni" || true)
  say "REST API answers on :$PATRONI_REST_PORT: $(sed -E 's/.*"state": ?"([^"]*)".*"role": ?"([^"]*)".*/state \1, role \2/' <<<"$state")"
else
  say "not waiting for the REST API: etcd has no quorum yet (Patroni starts serving once the other members are up)"
fi
say "done"
