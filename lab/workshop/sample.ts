/** The commented workshop.yaml `lab workshop init` writes. */
export function sampleWorkshopYaml(): string {
  return `# A class of identical, isolated seats; each seat is a complete lab (see docs/workshop.md).
name: workshop
# The lab every seat runs: a lab.yaml path (relative to this file) or the lab inline.
# Its name, provider and network are the workshop's; everything else (postgres, patroni...) is yours.
lab:
  docker: { baseImage: pgha-lab/base:trixie }     # built by \`lab image base\`, no registry needed
  postgres: { version: 17, packageSource: distro }
  patroni: { ttl: 20, loopWait: 2, retryTimeout: 5 }
seats: 3
# Where seats start: packages (attendees do etcd and Patroni), etcd (etcd done), full (for chaos).
# Without this line a seat starts at full; a class that builds the cluster by hand starts at packages.
stage: packages
# One /24 per seat from this range (seat 1: 10.100.1.0/24, ...), on every engine.
pool: 10.100.0.0/16
# Seat n's ssh is published on publishAddress:sshPortBase+n. Anything but 127.0.0.1 exposes it.
publishAddress: 127.0.0.1
sshPortBase: 2200
# Memory one node needs (about 140 MiB measured), for placing seats by engine memory.
nodeMemoryMiB: 160
engines:
  - name: local            # DOCKER_HOST, else /var/run/docker.sock
    memoryMiB: 4096
    concurrency: 2
  # - name: box2
  #   host: ssh://root@box2.example   # or tcp://box2.example:2376 with tlsCertPath: certs/box2
  #   memoryMiB: 16384
`;
}
