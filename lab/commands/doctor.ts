/** `lab doctor`: checks what each provider needs on this host and prints the exact fix for each problem. */
import { access, readFile } from 'node:fs/promises';
import type { CommandModule } from 'yargs';
import { execa } from 'execa';
import { ExitCode } from '../errors.js';
import { overlappingRoutes, readHostRoutes } from '../preflight/routes.js';
import { readVboxAllowedRanges, vboxAllows, VBOX_NETWORKS_CONF } from '../preflight/virtualbox.js';
import { dockerClient } from '../providers/docker/client.js';
import { dockerChecks, type DoctorCheck } from '../providers/docker/doctor.js';
import { labIdFor } from '../providers/docker/naming.js';
import { readState } from '../providers/docker/state.js';
import { validateSpec } from '../spec/load.js';
import { nodesAreContainers } from '../spec/rules.js';
import type { LabSpec } from '../spec/schema.js';
import { specContext, defaultLabDir, type LabContext } from '../labdir/context.js';
import type { GlobalArgs } from './options.js';

/** Memory a node needs to run etcd, PostgreSQL and Patroni in a container (measured need plus headroom). */
const CONTAINER_NODE_MIB = 400;

async function version(argv: string[]): Promise<string | undefined> {
  const r = await execa(argv[0]!, argv.slice(1), { reject: false, timeout: 20_000 });
  return r.exitCode === 0 ? r.stdout.split('\n')[0] : undefined;
}

async function vagrantChecks(spec: LabSpec): Promise<DoctorCheck[]> {
  const checks: DoctorCheck[] = [];
  const vagrant = await version(['vagrant', '--version']);
  checks.push(vagrant ? { area: 'vagrant', ok: true, what: vagrant } : { area: 'vagrant', ok: false, what: 'vagrant not installed', fix: 'apt-get install -y vagrant (or https://developer.hashicorp.com/vagrant/install)' });
  if (spec.vm.provider === 'virtualbox') {
    const vbox = await version(['VBoxManage', '--version']);
    checks.push(vbox ? { area: 'vagrant', ok: true, what: `VirtualBox ${vbox}` } : { area: 'vagrant', ok: false, what: 'VirtualBox not installed', fix: 'install VirtualBox 7 from https://www.virtualbox.org/wiki/Linux_Downloads, or set vm.provider: libvirt' });
    const allowed = await readVboxAllowedRanges();
    const subnet = spec.network.subnet;
    checks.push(
      vboxAllows(subnet, allowed)
        ? { area: 'vagrant', ok: true, what: `VirtualBox allows host-only addresses in ${subnet}` }
        : { area: 'vagrant', ok: false, what: `VirtualBox 6.1.28+ allows host-only addresses only in ${allowed.join(', ')}, not ${subnet}`, fix: `sudo mkdir -p /etc/vbox && echo '* ${subnet}' | sudo tee -a ${VBOX_NETWORKS_CONF}` },
    );
  } else if (spec.vm.provider === 'docker') {
    // Vagrant's docker provider drives the docker CLI.
    const docker = await version(['docker', 'version', '--format', '{{.Server.Version}}']);
    checks.push(docker ? { area: 'vagrant', ok: true, what: `Docker engine ${docker} (Vagrant's docker provider)` } : { area: 'vagrant', ok: false, what: "the docker CLI cannot reach an engine (Vagrant's docker provider needs both)", fix: 'apt-get install -y docker.io, and start the engine (`systemctl start docker`, or `dockerd &`)' });
  } else {
    const virsh = await version(['virsh', '--version']);
    checks.push(virsh ? { area: 'vagrant', ok: true, what: `libvirt ${virsh}` } : { area: 'vagrant', ok: false, what: 'libvirt (virsh) not installed', fix: 'apt-get install -y libvirt-daemon-system libvirt-clients && vagrant plugin install vagrant-libvirt' });
  }
  return checks;
}

async function hostChecks(spec: LabSpec, ownInterfaces: string[]): Promise<DoctorCheck[]> {
  const subnet = spec.network.subnet;
  const overlaps = overlappingRoutes(subnet, await readHostRoutes()).filter((r) => !ownInterfaces.includes(r.iface));
  const checks: DoctorCheck[] = [
    overlaps.length === 0
      ? { area: 'host', ok: true, what: `lab subnet ${subnet} overlaps none of the host's routes` }
      : { area: 'host', ok: false, what: `lab subnet ${subnet} overlaps the host's ${overlaps.map((r) => `${r.cidr} (${r.iface})`).join(', ')}`, fix: 'set network.subnet in lab.yaml to an unused range, e.g. 10.77.0.0/24' },
  ];
  const meminfo = await readFile('/proc/meminfo', 'utf8').catch(() => '');
  const availableMib = Math.floor(Number(/MemAvailable:\s+(\d+)/.exec(meminfo)?.[1] ?? NaN) / 1024);
  if (Number.isFinite(availableMib)) {
    const containers = nodesAreContainers(spec);
    const perNode = containers ? CONTAINER_NODE_MIB : spec.vm.memory;
    const need = perNode * spec.nodes.length;
    checks.push(
      availableMib >= need
        ? { area: 'host', ok: true, what: `${availableMib} MiB free, ${need} MiB needed (${spec.nodes.length} x ${perNode})` }
        : { area: 'host', ok: false, what: `${availableMib} MiB free, ${need} MiB needed (${spec.nodes.length} x ${perNode})`, fix: containers ? 'free memory, or lower size in lab.yaml' : 'lower vm.memory or size in lab.yaml, or free memory' },
    );
  }
  return checks;
}

/** lab.yaml when there is one; the document's defaults otherwise, so doctor runs before `lab init`. */
async function contextOrDefaults(args: GlobalArgs): Promise<LabContext> {
  if (await access(args.file).then(() => true, () => false)) return specContext(args);
  const spec = validateSpec(args.provider ? { provider: args.provider } : {}).spec!;
  return { spec, dir: args.dir ?? defaultLabDir(spec), warnings: [`${args.file} not found: checking the defaults`] };
}

export function formatChecks(checks: DoctorCheck[], provider: LabSpec['provider']): string {
  return checks
    .map((c) => {
      const relevant = c.area === 'host' || c.area === provider;
      const verdict = c.ok ? 'ok' : relevant ? 'PROBLEM' : 'note';
      return `${c.area.padEnd(8)} ${verdict.padEnd(8)} ${c.what}${c.fix ? `\n${' '.repeat(18)}fix: ${c.fix}` : ''}`;
    })
    .join('\n');
}

export const doctorCommand: CommandModule<GlobalArgs, GlobalArgs> = {
  command: 'doctor',
  describe: "Check what the providers need on this host (Docker engine and systemd containers, Vagrant and its VM provider, subnet, memory) and print each fix",
  handler: async (args) => {
    const ctx = await contextOrDefaults(args);
    for (const w of ctx.warnings) process.stderr.write(`${w}\n`);
    const labId = (await readState(ctx.dir))?.labId ?? labIdFor(ctx.spec.name, ctx.dir);
    const docker = await dockerChecks(dockerClient(), ctx.spec, labId);
    const checks = [...docker.checks, ...(await vagrantChecks(ctx.spec)), ...(await hostChecks(ctx.spec, docker.ownInterfaces))];
    process.stdout.write(`lab ${ctx.spec.name}, provider ${ctx.spec.provider}:\n${formatChecks(checks, ctx.spec.provider)}\n`);
    if (checks.some((c) => !c.ok && (c.area === 'host' || c.area === ctx.spec.provider))) process.exitCode = ExitCode.missingTool;
  },
};
