/** What the Vagrant provider needs on this host: vagrant and the VM provider lab.yaml names, each missing one with its fix. */
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
  const vagrant = toolCheck(await version(['vagrant', '--version']), (v) => v, 'vagrant not installed', 'apt-get install -y vagrant (or https://developer.hashicorp.com/vagrant/install)');
  if (spec.vm.provider === 'virtualbox') {
    const vbox = await version(['VBoxManage', '--version']);
    return [vagrant, toolCheck(vbox, (v) => `VirtualBox ${v}`, 'VirtualBox not installed', 'install VirtualBox 7 from https://www.virtualbox.org/wiki/Linux_Downloads, or set vm.provider: libvirt')];
  }
  const virsh = await version(['virsh', '--version']);
  return [vagrant, toolCheck(virsh, (v) => `libvirt ${v}`, 'libvirt (virsh) not installed', 'apt-get install -y libvirt-daemon-system libvirt-clients && vagrant plugin install vagrant-libvirt')];
}
