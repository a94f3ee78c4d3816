/**
 * An upstream race in Vagrant 2.3.4's docker provider. Before it creates a machine it reads the
 * ports of every container on the engine (plugins/providers/docker/driver.rb, read_used_ports:
 * `docker ps -a -q`, then `docker inspect` of each id, with no rescue). A container any other
 * program removes between the two fails the whole `vagrant up` with "docker inspect <id>: No such
 * object", naming a container that is not the lab's. Seen here when two Vagrant projects came up
 * side by side and one's containers went away. Nothing of the lab is wrong: the same up, run again,
 * goes on.
 */
export function isContainerScanRace(output: string): boolean {
  return /"docker", "inspect", "([0-9a-f]{12,64})"[\s\S]*?No such object: \1/.test(output);
}

/** The race in a few words, for `lab up`'s progress when it runs `vagrant up` again. */
export const CONTAINER_SCAN_RACE = 'a container on the engine was removed while Vagrant read them all';

/** How many times `lab up` runs `vagrant up` again after the race: each run scans the engine anew. */
export const CONTAINER_SCAN_RETRIES = 2;
