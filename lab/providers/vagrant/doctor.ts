/** What the Vagrant provider needs on this host: vagrant and the machine provider lab.yaml names (VirtualBox, libvirt, or Docker for Vagrant's docker provider), each missing one with its fix. */
import { execa } from 'execa';
import type { LabSpec } from '../../spec/schema.js';
import type { DoctorCheck } from '../provider.js';

/** The first line of `tool --version`; undefined when the tool is missing or fails. */
async function version(argv: string[]): Promise<string | undefined> {
  const r = await execa(argv[0]!, argv.slice(1), { reject: false, timeout: 20_000 });
  return r.exitCode === 0 ? r.stdout.split('\n')[0] : undefined;
}

function toolCheck(found: string | undefined, ok: (version: string) => string, missing: string, fix: string): DoctorCheck {
  return found ? { area: 'vagrant', ok: true, what: ok(found) } : { area: 'vagrant', ok: false, what: missing, fix };
}

export async function vagrantChecks(spec: Pick<LabSpec, 'vm'>): Promise<DoctorCheck[]> {
  const vagrant = toolCheck(
    await version(['vagrant', '--version']),
    (v) => v,
    'vagrant not installed',
    'apt-get install -y vagrant (or https://developer.hashicorp.com/vagrant/install)',
  );
  if (spec.vm.provider === 'virtualbox') {
    const vbox = await version(['VBoxManage', '--version']);
    return [
      vagrant,
      toolCheck(
        vbox,
        (v) => `VirtualBox ${v}`,
        'VirtualBox not installed',
        'install VirtualBox 7 from https://www.virtualbox.org/wiki/Linux_Downloads, or set vm.provider: libvirt, or vm.provider: docker (Vagrant runs the same Vagrantfile in containers: docs/vagrant-provider.md)',
      ),
    ];
  }
  if (spec.vm.provider === 'docker') {
    // Vagrant's docker provider drives the docker CLI.
    const docker = await version(['docker', 'version', '--format', '{{.Server.Version}}']);
    return [
      vagrant,
      toolCheck(
        docker,
        (v) => `Docker engine ${v} (Vagrant's docker provider)`,
        "the docker CLI cannot reach an engine (Vagrant's docker provider needs both)",
        'apt-get install -y docker.io, and start the engine (`systemctl start docker`, or `dockerd &`)',
      ),
    ];
  }
  const virsh = await version(['virsh', '--version']);
  return [
    vagrant,
    toolCheck(
      virsh,
      (v) => `libvirt ${v}`,
      'libvirt (virsh) not installed',
      'apt-get install -y libvirt-daemon-system libvirt-clients && vagrant plugin install vagrant-libvirt',
    ),
  ];
}
