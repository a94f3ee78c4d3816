/**
 * The Debian release `lab image base` builds by default, and the CI lab runs on: Debian 13 ships
 * PostgreSQL 17, Patroni 4.0 and etcd 3.5. Debian 12's Patroni 3.0.2 was seen to let a demoted leader
 * take the leader key back after a partition heals (patroni/patroni#3314). Apart from the builder
 * (base-image.ts), which brings execa: `lab image`'s options and a pull's advice only need the tag.
 */
export const LOCAL_BASE_SUITE = 'trixie';
export const LOCAL_BASE_IMAGE = `pgha-lab/base:${LOCAL_BASE_SUITE}`;
