/**
 * The Debian release `lab image base` builds by default, and the CI lab runs on: Debian 13 ships
 * PostgreSQL 17, Patroni 4.0 and etcd 3.5. Debian 12's Patroni 3.0.2 was seen to let a demoted leader
 * take the leader key back after a partition heals (patroni/patroni#3314). Apart from the builder
 * (base-image.ts), which brings execa: `lab image`'s options and a pull's advice only need the tag.
 */
import { DEBIAN_PG_VERSION, LOCAL_BASE_REPOSITORY } from '../../spec/rules.js';

export const LOCAL_BASE_SUITE = 'trixie';

/** The tag `lab image base --suite SUITE` gives its image (and the name localBaseSuite reads back). Pure. */
export const localBaseImage = (suite: string): string => `${LOCAL_BASE_REPOSITORY}:${suite}`;

export const LOCAL_BASE_IMAGE = localBaseImage(LOCAL_BASE_SUITE);

/** The lab.yaml settings that run a lab with no registry and no Percona repository: the local base and its own packages. */
export const OFFLINE_LAB_YAML: readonly string[] = [
  `docker: { baseImage: ${LOCAL_BASE_IMAGE} }`,
  `postgres: { version: ${DEBIAN_PG_VERSION[LOCAL_BASE_SUITE]}, packageSource: distro }`,
];
