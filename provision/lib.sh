# shellcheck shell=bash
# pgha-lab: helpers shared by the provisioning steps. Sourced by every step, never run on its own.
#
# Each step is called as `bash /vagrant/provision/NN-step.sh /vagrant/nodes/<node>/node.env` and
# reads its parameters from that env file only; files it installs come from the lab directory
# (the env file's grandparent: /vagrant in VMs and containers alike).

# lab_init STEP ENV_FILE: load the node's parameters and name the step for every message.
lab_init() {
  LAB_STEP=$1
  local env_file=${2:-}
  if [[ -z $env_file || ! -r $env_file ]]; then
    printf 'usage: bash %s /vagrant/nodes/<node>/node.env (got %q)\n' "$0" "$env_file" >&2
    exit 2
  fi
  # shellcheck source=/dev/null  # generated per node by `lab generate`
  . "$env_file"
  NODE_DIR=$(cd "$(dirname "$env_file")" && pwd)
  LAB_DIR=$(cd "$NODE_DIR/../.." && pwd)
  export NODE_DIR LAB_DIR
  export DEBIAN_FRONTEND=noninteractive
  export ETCDCTL_API=3 # Ubuntu 22.04's etcdctl 3.3 still defaults to the v2 API
}

# say MESSAGE: one line naming the node and the step, e.g. `==> [node2] etcd: member add`.
say() { printf '==> [%s] %s: %s\n' "${NODE_NAME:-?}" "${LAB_STEP:-?}" "$*"; }

# changed MESSAGE: report a change this step made to the machine. A second run of a step prints
# none: the integration tests re-run every step and look for this word.
changed() { say "changed: $*"; }

die() {
  say "ERROR: $*" >&2
  exit 1
}

# have_systemd: true when systemd runs this machine (not while a Docker image is being built).
have_systemd() { [[ -d /run/systemd/system ]]; }

# install_file SRC DEST MODE OWNER GROUP: install SRC at DEST only if its content or mode/owner differ.
# Returns 0 when the content changed (the caller restarts what reads it), 1 when it did not. Callers
# test it (`if install_file ...`), where bash ignores set -e in all it runs: so each command that can
# fail is checked here, and a failure ends the step instead of reading as "changed" or "unchanged".
install_file() {
  local src=$1 dest=$2 mode=$3 owner=$4 group=$5 tmp
  [[ -f $src ]] || die "missing $src in the lab directory (run \`lab generate\` again)"
  if [[ -f $dest ]] && cmp -s "$src" "$dest"; then
    if [[ $(stat -c '%a %U %G' "$dest") != "$mode $owner $group" ]]; then
      if ! { chmod "$mode" "$dest" && chown "$owner:$group" "$dest"; }; then
        die "$dest: cannot set its mode and owner to $mode $owner:$group"
      fi
      changed "$dest: fixed mode/owner to $mode $owner:$group"
    fi
    return 1
  fi
  mkdir -p "$(dirname "$dest")" || die "$dest: cannot create its directory"
  tmp=$(mktemp "$dest.lab.XXXXXX") || die "$dest: cannot create a temporary file beside it"
  if ! { cat "$src" >"$tmp" && chmod "$mode" "$tmp" && chown "$owner:$group" "$tmp" && mv -f "$tmp" "$dest"; }; then
    rm -f "$tmp"
    die "$dest: not installed from $src (mode $mode, owner $owner:$group): the command above failed"
  fi
  changed "$dest: written"
  return 0
}

# write_file DEST MODE CONTENT: like install_file, with the content given as a string.
write_file() {
  local dest=$1 mode=$2 content=$3 tmp rc=0
  tmp=$(mktemp)
  printf '%s\n' "$content" >"$tmp"
  install_file "$tmp" "$dest" "$mode" root root || rc=$?
  rm -f "$tmp"
  return "$rc"
}

# wait_for WHAT TRIES INTERVAL CMD...: run CMD until it succeeds, at most TRIES times INTERVAL
# seconds apart, its output discarded. A program's attempt is bounded to 10 s by `timeout`, which
# cannot run a shell function of the script: a function bounds each attempt itself (curl --max-time).
wait_for() {
  local what=$1 tries=$2 interval=$3 i attempt
  shift 3
  attempt=(timeout 10 "$@")
  if declare -F "$1" >/dev/null; then attempt=("$@"); fi
  for ((i = 1; i <= tries; i++)); do
    if "${attempt[@]}" >/dev/null 2>&1; then
      say "$what: ok (attempt $i)"
      return 0
    fi
    sleep "$interval"
  done
  say "$what: still not ready after $tries attempts, $((tries * interval)) s or more" >&2
  return 1
}

# tcp_open HOST PORT: true when something listens there (bounded to 2 s).
# shellcheck disable=SC2016  # $1/$2 are expanded by the inner bash, on purpose
tcp_open() { timeout 2 bash -c 'exec 3<>"/dev/tcp/$1/$2"' _ "$1" "$2" 2>/dev/null; }

# unit_enable UNIT: enable UNIT unless it already is.
unit_enable() {
  if [[ $(systemctl is-enabled "$1" 2>/dev/null || true) != enabled ]]; then
    systemctl enable "$1" 2>&1 | sed 's/^/    /'
    changed "$1: enabled"
  fi
}

# unit_disable UNIT: stop and disable UNIT if it is running or enabled (works while no systemd runs).
unit_disable() {
  if have_systemd && systemctl is-active --quiet "$1" 2>/dev/null; then
    systemctl stop "$1"
    changed "$1: stopped"
  fi
  if [[ $(systemctl is-enabled "$1" 2>/dev/null || true) == enabled ]]; then
    systemctl disable "$1" 2>&1 | sed 's/^/    /'
    changed "$1: disabled"
  fi
}

# installed PKG: true when dpkg has PKG installed.
installed() { [[ $(dpkg-query -W -f='${Status}' "$1" 2>/dev/null || true) == 'install ok installed' ]]; }

# Ubuntu boxes run unattended-upgrades on first boot, which holds dpkg's lock for minutes: apt-get
# waits for it (bounded) instead of failing.
APT=(apt-get -o DPkg::Lock::Timeout=600)

# apt_retry_locked CMD...: CMD (an apt-get update, or something running one) again while another apt
# holds the package lists' lock, which DPkg::Lock::Timeout does not cover. Bounded: 60 tries, 10 s apart.
apt_retry_locked() {
  local i out
  for ((i = 1; i <= 60; i++)); do
    if out=$("$@" 2>&1); then
      [[ -z $out ]] || printf '%s\n' "$out"
      return 0
    fi
    if ! grep -qiE 'could not get lock|unable to acquire the dpkg frontend lock' <<<"$out"; then
      printf '%s\n' "$out" >&2
      return 1
    fi
    say "another apt holds its lock (attempt $i of 60): retrying in 10 s"
    sleep 10
  done
  die "$* kept finding apt's lock held for 10 minutes"
}

# apt_update: `apt-get update` once per step run (again after a new repository is set up).
APT_UPDATED=0
apt_update() {
  if ((APT_UPDATED == 0)); then
    changed "apt-get update"
    apt_retry_locked "${APT[@]}" update -qq
    APT_UPDATED=1
  fi
}

# apt_install PKG...: install the packages not installed yet; says so when there is nothing to do.
apt_install() {
  local missing=() p
  for p in "$@"; do installed "$p" || missing+=("$p"); done
  if ((${#missing[@]} == 0)); then
    say "already installed: $*"
    return 0
  fi
  apt_update
  changed "apt-get install ${missing[*]}"
  "${APT[@]}" install -y -qq -o Dpkg::Options::=--force-confold --no-install-recommends "${missing[@]}"
}

# percona_repository PG_VERSION: Percona's apt repository for ppg-PG_VERSION (percona-release, then
# `percona-release setup`), unless already there. Steps 10 (nodes) and 50 (the HAProxy node) share it,
# so every package of a lab with packageSource percona comes from the same repository.
percona_repository() {
  local version=$1 deb
  say "package source: Percona repository ppg-$version"
  apt_install wget gnupg2 lsb-release curl ca-certificates
  if ! installed percona-release; then
    changed "install percona-release"
    deb=$(mktemp --suffix=.deb)
    wget -q -O "$deb" https://repo.percona.com/apt/percona-release_latest.generic_all.deb
    "${APT[@]}" install -y -qq "$deb"
    rm -f "$deb"
  fi
  if ! grep -rqs "ppg-$version" /etc/apt/sources.list.d/; then
    changed "percona-release setup ppg-$version"
    apt_retry_locked percona-release setup -y "ppg-$version"
    APT_UPDATED=0
  fi
}
