#!/usr/bin/env bash
# pgha-lab step 50, on the HAProxy node only: HAProxy in front of the cluster (Percona's HA
# architecture), and PgBouncer in front of HAProxy's read-write port when entry.pgbouncer is on.
#
# Run as `bash /vagrant/provision/50-entry.sh /vagrant/entry/<name>/entry.env`. The packages come
# from the lab's package source (postgres.packageSource), installed here when missing: Percona's
# percona-haproxy and percona-pgbouncer from the same repository as the nodes' packages, or the OS's
# haproxy and pgbouncer. This node runs no PostgreSQL, Patroni or etcd: in containers it starts from
# the entry image (the node image, whose packaged services stay disabled, plus these packages).
#
# With a second argument `packages` it installs the packages and stops: the Docker provider builds
# the entry image so, once, and every later run finds them installed. It installs PgBouncer too
# whatever entry.pgbouncer says, so one image serves labs with and without it (the run below
# disables what the lab does not use).
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
lab_init entry "${1:-}"
case ${2:-} in
  '') PACKAGES_ONLY=0 ;;
  packages) PACKAGES_ONLY=1 ;;
  *) die "the second argument may only be 'packages' (install the packages and stop), got '$2'" ;;
esac
: "${PG_VERSION:?PG_VERSION missing from the env file}" "${PACKAGE_SOURCE:?PACKAGE_SOURCE missing from the env file}"
: "${HAPROXY_UNIT:?}" "${PGBOUNCER_UNIT:?}" "${PGBOUNCER:?}" "${ENTRY_PORTS:?}"

# What differs between the two sources, and only that. Both install the units haproxy.service and
# pgbouncer.service, /etc/haproxy/haproxy.cfg and /etc/pgbouncer/pgbouncer.ini, and run PgBouncer as
# postgres: Percona builds its Debian packages of HAProxy from its haproxy-packaging repository
# (debian/percona-haproxy.install: haproxy.service, /etc/haproxy) and of PgBouncer from Debian's own
# packaging (postgres-packaging: common/pgbouncer/pgbouncer_builder.sh), keeping pgbouncer.service
# but renaming the SysV script to percona-pgbouncer. That script has no native unit of its name, so
# systemd would start it beside pgbouncer.service, on the same port: it is kept off (PGBOUNCER_SYSV).
case $PACKAGE_SOURCE in
  percona)
    percona_repository "$PG_VERSION"
    HAPROXY_PACKAGE=percona-haproxy PGBOUNCER_PACKAGE=percona-pgbouncer PGBOUNCER_SYSV=percona-pgbouncer
    ;;
  distro)
    say "package source: the OS's own packages"
    HAPROXY_PACKAGE=haproxy PGBOUNCER_PACKAGE=pgbouncer PGBOUNCER_SYSV=
    ;;
  *) die "PACKAGE_SOURCE must be percona or distro, got '$PACKAGE_SOURCE'" ;;
esac

want=("$HAPROXY_PACKAGE")
if ((PGBOUNCER || PACKAGES_ONLY)); then want+=("$PGBOUNCER_PACKAGE"); fi
apt_install "${want[@]}"
if ((PACKAGES_ONLY)); then
  say "done (packages only)"
  exit 0
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

if [[ -n $PGBOUNCER_SYSV ]] && installed "$PGBOUNCER_PACKAGE"; then unit_disable "$PGBOUNCER_SYSV"; fi
if ((PGBOUNCER)); then
  restart=0
  install_file "$NODE_DIR/pgbouncer.ini" /etc/pgbouncer/pgbouncer.ini 640 postgres postgres && restart=1
  install_file "$NODE_DIR/userlist.txt" /etc/pgbouncer/userlist.txt 600 postgres postgres && restart=1
  unit_enable "$PGBOUNCER_UNIT"
  if ((restart)) || ! systemctl is-active --quiet "$PGBOUNCER_UNIT"; then
    systemctl restart "$PGBOUNCER_UNIT"
    changed "$PGBOUNCER_UNIT: restarted"
  fi
elif installed "$PGBOUNCER_PACKAGE"; then
  unit_disable "$PGBOUNCER_UNIT"
fi

for port in $ENTRY_PORTS; do
  # shellcheck disable=SC2016  # $1 is expanded by the inner bash, on purpose
  wait_for "listening on $port" 30 1 bash -c '[[ -n $(ss -Hltn "sport = :$1") ]]' _ "$port" || die "nothing listens on port $port (see journalctl -u $HAPROXY_UNIT -u $PGBOUNCER_UNIT)"
done
say "done"
