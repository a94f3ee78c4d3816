# shellcheck shell=bash
# pgha-lab: pgBackRest's setup, shared by steps 35 (each node) and 60 (the backup node); sourced after
# lib.sh, never run on its own. Apart from lib.sh, which the node image's tag hashes (a change there
# rebuilds every lab's node image), since pgBackRest is installed at provisioning, not in the image.

# pgbackrest_setup DIR CERT_NAME: pgBackRest from the lab's package source (Debian's pgbackrest, or
# Percona's percona-pgbackrest from the nodes' repository), its configuration DIR/pgbackrest.conf,
# this machine's certificates (backup/tls/CERT_NAME.*) and its TLS server, running. Steps 35 (each
# node) and 60 (the backup node) share it. Needs PACKAGE_SOURCE, PG_VERSION and the PGBACKREST_* names.
pgbackrest_setup() {
  local dir=$1 name=$2 package restart=0 tls=$PGBACKREST_TLS_DIR
  case $PACKAGE_SOURCE in
    percona)
      percona_repository "$PG_VERSION"
      package=percona-pgbackrest
      ;;
    distro)
      package=pgbackrest
      ;;
    *) die "PACKAGE_SOURCE must be percona or distro, got '$PACKAGE_SOURCE'" ;;
  esac
  apt_install "$package"
  [[ -x /usr/bin/pgbackrest ]] || die "$package installed no /usr/bin/pgbackrest"
  id postgres >/dev/null 2>&1 || die "user postgres does not exist (the pgbackrest package should have made it)"
  if [[ ! -d $PGBACKREST_LOG || $(stat -c %U "$PGBACKREST_LOG") != postgres ]]; then
    install -d -o postgres -g postgres -m 750 "$PGBACKREST_LOG"
    changed "$PGBACKREST_LOG: owned by postgres"
  fi
  install_file "$dir/pgbackrest.conf" "$PGBACKREST_CONFIG" 640 postgres postgres && restart=1
  install_file "$LAB_DIR/backup/tls/ca.crt" "$tls/ca.crt" 644 postgres postgres && restart=1
  install_file "$LAB_DIR/backup/tls/$name.crt" "$tls/$name.crt" 644 postgres postgres && restart=1
  install_file "$LAB_DIR/backup/tls/$name.key" "$tls/$name.key" 600 postgres postgres && restart=1
  if install_file "$LAB_DIR/files/$PGBACKREST_UNIT" "/etc/systemd/system/$PGBACKREST_UNIT" 644 root root; then
    systemctl daemon-reload
    restart=1
  fi
  unit_enable "$PGBACKREST_UNIT"
  if ((restart)) || ! systemctl is-active --quiet "$PGBACKREST_UNIT"; then
    systemctl restart "$PGBACKREST_UNIT"
    changed "$PGBACKREST_UNIT: restarted"
  fi
  wait_for "pgBackRest's TLS server on port $PGBACKREST_PORT" 30 1 tcp_open 127.0.0.1 "$PGBACKREST_PORT" ||
    die "pgBackRest's TLS server does not listen on port $PGBACKREST_PORT (see journalctl -u $PGBACKREST_UNIT)"
}
