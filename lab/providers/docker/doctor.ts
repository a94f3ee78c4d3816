/** What the Docker provider needs from this host, each problem with the exact fix. */
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import type Docker from 'dockerode';
import type { LabSpec } from '../../spec/schema.js';
import type { DoctorCheck } from '../provider.js';
import { cgroupBindFor, cgroupCheck, type EngineCgroups } from './cgroups.js';
import { describeError, isNotFound } from './client.js';
import { systemdContainer, withCgroupSource } from './container-spec.js';
import { labelsFor } from './naming.js';
import { OFFLINE_LAB_YAML } from './base-image-tag.js';
import { waitForSystemd } from './systemd.js';

/** Runs a throwaway systemd container from the base image (labelled, always removed) and asks systemd how it is. */
async function canRunSystemd(docker: Docker, image: string): Promise<DoctorCheck> {
  const labId = `doctor-${randomBytes(3).toString('hex')}`;
  let container: Docker.Container | undefined;
  try {
    const create = withCgroupSource(
      systemdContainer(image, tmpdir(), labelsFor(labId, 'builder')),
      await cgroupBindFor(docker, image),
    );
    container = await docker.createContainer({ ...create, name: labId });
    await container.start();
    await waitForSystemd(container, 30_000);
    return { area: 'docker', ok: true, what: `systemd boots as PID 1 in a container from ${image}` };
  } catch (e) {
    return {
      area: 'docker',
      ok: false,
      what: `systemd does not boot in a container from ${image}: ${describeError(e)}`,
      fix:
        'the engine must allow --cap-add SYS_ADMIN --security-opt seccomp=unconfined --cgroupns=host -v /sys/fs/cgroup:/sys/fs/cgroup:rw ' +
        '(rootless Docker and some sandboxes cannot); the image needs systemd and systemd-sysv (`lab image base` builds one)',
    };
  } finally {
    await container?.remove({ force: true, v: true }).catch(() => undefined);
  }
}

export async function dockerChecks(docker: Docker, spec: LabSpec): Promise<DoctorCheck[]> {
  const checks: DoctorCheck[] = [];
  let version: Docker.DockerVersion;
  try {
    version = await docker.version();
  } catch (e) {
    checks.push({
      area: 'docker',
      ok: false,
      what: `Docker engine not reachable (${describeError(e)})`,
      fix: 'install and start it: `apt-get install -y docker.io && systemctl start docker` (without systemd: `dockerd >/var/log/dockerd.log 2>&1 &`); check with `docker info`',
    });
    return checks;
  }
  checks.push({ area: 'docker', ok: true, what: `Docker engine ${version.Version} (API ${version.ApiVersion}) reachable` });
  checks.push(cgroupCheck((await docker.info()) as EngineCgroups));

  const image = spec.docker.baseImage;
  const present = await docker
    .getImage(image)
    .inspect()
    .then(
      () => true,
      (e: unknown) => (isNotFound(e) ? false : Promise.reject(e)),
    );
  if (present) {
    checks.push({ area: 'docker', ok: true, what: `base image ${image} present` }, await canRunSystemd(docker, image));
  } else {
    checks.push({
      area: 'docker',
      ok: false,
      what: `base image ${image} not present locally (\`lab up\` will try to pull it)`,
      fix: `\`docker pull ${image}\`; with no registry reachable: \`lab image base\`, then ${OFFLINE_LAB_YAML.map((l) => `\`${l}\``).join(' and ')} in lab.yaml`,
    });
  }
  return checks;
}
