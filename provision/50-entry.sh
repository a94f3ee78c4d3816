#!/usr/bin/env bash
# pgha-lab step 50, on the HAProxy node only: HAProxy in front of the cluster (Percona's HA
# architecture), and PgBouncer in front of HAProxy's read-write port when entry.pgbouncer is on.
#
# Run as `bash /vagrant/provision/50-entry.sh /vagrant/entry/<name>/entry.env`. The packages are the
# OS's own haproxy and pgbouncer, installed here when missing (this node runs no PostgreSQL, Patroni
# or etcd: in containers it starts from the node image, whose packaged services stay disabled).
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
lab_init entry "${1:-}"
: "${HAPROXY_UNIT:?}" "${PGBOUNCER_UNIT:?}" "${PGBOUNCER:?}" "${ENTRY_PORTS:?}"

installed() { [[ $(dpkg-query -W -f='${Status}' "$1" 2>/dev/null || true) == 'install ok installed' ]]; }

want=(haproxy)
if ((PGBOUNCER)); then want+=(pgbouncer); fi
missing=()
for p in "${want[@]}"; do installed "$p" || missing+=("$p"); done
if ((${#missing[@]} > 0)); then
  changed "apt-get install ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq -o Dpkg::Options::=--force-confold --no-install-recommends "${missing[@]}"
else
  say "already installed: ${want[*]}"
fi

# HAProxy: refuse a configuration it cannot load before it replaces the running one.
haproxy -c -q -f "$NODE_DIR/haproxy.cfg" || die "haproxy -c rejects $NODE_DIR/haproxy.cfg"
if install_file "$NODE_DIR/haproxy.cfg" /etc/haproxy/haproxy.cfg 644 root root; then
  systemctl restart "$HAPROXY_UNIT"
  changed "$HAPROXY_UNIT: restarted"
fi
unit_enable "$HAPROXY_UNIT"
if ! systemctl is-active --quiet "$HAPROXY_UNIT"; then
  systemctl start "$HAPROXY_UNIT"
  changed "$HAPROXY_UNIT: started"
fi

if ((PGBOUNCER)); then
  restart=0
  install_file "$NODE_DIR/pgbouncer.ini" /etc/pgbouncer/pgbouncer.ini 640 postgres postgres && restart=1
  install_file "$NODE_DIR/userlist.txt" /etc/pgbouncer/userlist.txt 600 postgres postgres && restart=1
  unit_enable "$PGBOUNCER_UNIT"
  if ((restart)) || ! systemctl is-active --quiet "$PGBOUNCER_UNIT"; then
    systemctl restart "$PGBOUNCER_UNIT"
    changed "$PGBOUNCER_UNIT: restarted"
  fi
elif installed pgbouncer; then
  unit_disable "$PGBOUNCER_UNIT"
fi

for port in $ENTRY_PORTS; do
  # shellcheck disable=SC2016  # $1 is expanded by the inner bash, on purpose
  wait_for "listening on $port" 30 1 bash -c '[[ -n $(ss -Hltn "sport = :$1") ]]' _ "$port" || die "nothing listens on port $port (see journalctl -u $HAPROXY_UNIT -u $PGBOUNCER_UNIT)"
done
say "done"
