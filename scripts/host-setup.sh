#!/usr/bin/env bash
# Prepares a fresh Debian/Ubuntu machine for pgha-lab (run as root): installs the tools it lacks,
# starts the Docker engine and prints each tool with its version. Safe to run again: it installs and
# starts only what is missing.
#
#   host-setup.sh                  prepare the machine
#   host-setup.sh --check [TOOL…]  install nothing: print each tool (default: all) with its version or
#                                  MISSING; exit 1 if one this machine needs is missing (the tests
#                                  find their tools this way)
#   host-setup.sh --list           print the table below as "tool source" lines
set -euo pipefail

# Every external program that lab, its tests, bench and the README run, in one place.
#   source: a Debian package: this script installs it when the probe fails;
#           essential: in Debian's essential set, on every Debian system;
#           prerequisite: there before this script runs (Node.js 20.19+ runs npm ci and the tests);
#           vm-host: needed only on a machine that runs the VMs (`lab doctor` prints the fix);
#           Vagrant validates VirtualBox and libvirt Vagrantfiles without them.
#   probe:  prints the version on its first line and fails when the tool is absent.
# test/scripts/host-setup.test.ts fails when the sources spawn a program that is not here, and the
# tests find their tools through `--check`, so a tool installed by hand cannot pass unnoticed.
TOOLS=$(
  cat <<'EOF'
# tool          source            probe
# The README's and docs/ci.md's install starts from a clone.
git             git               git --version
docker          docker.io         docker --version
dockerd         docker.io         dockerd --version
vagrant         vagrant           vagrant --version
# A libvirt Vagrantfile names the libvirt provider: Vagrant (and vagrant validate) needs the plugin.
vagrant-libvirt vagrant-libvirt   vagrant plugin list | grep '^vagrant-libvirt '
shellcheck      shellcheck        shellcheck --version | sed -n 's/^version: /ShellCheck /p' | grep .
debootstrap     debootstrap       debootstrap --version
patroni         patroni           patroni --version
# lab workshop: its isolation rules, and the tests' ssh login into a seat.
iptables        iptables          iptables --version
ip              iproute2          ip -V
ssh             openssh-client    ssh -V 2>&1
sshpass         sshpass           sshpass -V
# The scenarios' libpq multi-host client: libpq's own host list and target_session_attrs.
psql            postgresql-client psql --version
# The second Docker engine of the workshop's tests listens over TCP with TLS (scripts/engine2.sh).
openssl         openssl           openssl version
# The cgroup v2 engine of the tests (scripts/engine-cgroup2.sh): its own containerd, and cgroup2
# mounted in a mount namespace of its own (unshare).
containerd      containerd        containerd --version
mount           mount             mount --version
# `lab scenario --workload CMD` runs CMD with bash -c, as do the provisioners and scripts.
bash            essential         bash --version | sed -n 1p
tar             essential         tar --version | sed -n 1p
# The tests start lab through `env -u NODE_OPTIONS` (test/helpers.ts says why).
env             essential         env --version | sed -n 1p
unshare         essential         unshare --version
# `lab image base` unmounts what a killed debootstrap left mounted in its target before removing it.
umount          mount             umount --version | sed -n 1p
dpkg-query      essential         dpkg-query --version | sed -n 1p
node            prerequisite      node --version
npm             prerequisite      npm --version
VBoxManage      vm-host           VBoxManage --version
virsh           vm-host           virsh --version
EOF
)
# Vagrant must not dial HashiCorp's version check from here.
export VAGRANT_CHECKPOINT_DISABLE=1

step() { printf '==> %s\n' "$*"; }

rows() { grep -v '^#' <<<"$TOOLS"; }
# The tools whose source matches an extended regex, e.g. 'essential|prerequisite'.
tools_from() { rows | awk -v re="^($1)\$" '$2 ~ re { print $1 }'; }
# The tools whose source is a Debian package.
packaged_tools() { rows | awk '$2 !~ /^(essential|prerequisite|vm-host)$/ { print $1 }'; }

# Prints "tool version" (or "tool MISSING") for each named tool; fails if one this machine needs
# (any but a vm-host tool) is missing.
check() {
  local tool source command out failed=0
  for tool in "$@"; do
    read -r _ source command < <(rows | awk -v t="$tool" '$1 == t') || {
      echo "host-setup.sh: no tool named '$tool' in its table" >&2
      exit 2
    }
    if out=$(bash -o pipefail -c "$command" 2>/dev/null); then
      printf '%-16s %s\n' "$tool" "${out%%$'\n'*}"
    else
      if [[ $source == vm-host ]]; then
        printf '%-16s MISSING (needed only where the VMs run)\n' "$tool"
      else
        printf '%-16s MISSING\n' "$tool"
        failed=1
      fi
    fi
  done
  return "$failed"
}

case "${1:-}" in
  --list)
    rows | awk '{ print $1, $2 }'
    exit 0
    ;;
  --check)
    shift
    if (($# == 0)); then mapfile -t all < <(rows | awk '{ print $1 }') && set -- "${all[@]}"; fi
    check "$@"
    exit
    ;;
  '') ;;
  *)
    echo "usage: host-setup.sh [--check [TOOL...] | --list]" >&2
    exit 2
    ;;
esac

missing=()
for tool in $(packaged_tools); do
  check "$tool" >/dev/null || missing+=("$(rows | awk -v t="$tool" '$1 == t { print $2 }')")
done
if ((${#missing[@]} > 0)); then
  mapfile -t missing < <(printf '%s\n' "${missing[@]}" | sort -u)
  step "installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq -o DPkg::Lock::Timeout=300
  apt-get install -y -qq --no-install-recommends -o DPkg::Lock::Timeout=300 "${missing[@]}" >/dev/null
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

step "tools"
mapfile -t installed < <(packaged_tools)
check "${installed[@]}" || {
  echo "host-setup.sh: a tool above is still missing after apt-get install" >&2
  exit 1
}
mapfile -t before < <(tools_from 'essential|prerequisite')
check "${before[@]}" || {
  echo "host-setup.sh: Node.js 20.19+ and Debian's essential tools must be there before this script runs" >&2
  exit 1
}
mapfile -t vm_host < <(tools_from vm-host)
check "${vm_host[@]}"
step "host ready: $(docker version --format 'Docker engine {{.Server.Version}}')"
