/** How a node's sample reads to a person, shared by the live console and the picture. */
import type { SampleEvent } from '../scenarios/history/history.js';

/** The lane colour classes of the picture; `primary` is "accepts writes". */
export type NodeCategory = 'primary' | 'replica' | 'down' | 'other';

export function categoryOf(s: SampleEvent): NodeCategory {
  if (s.pg === 'primary') return 'primary';
  if (s.pg === 'replica') return s.role === 'replica' ? 'replica' : 'other';
  return s.reachable ? 'other' : 'down';
}

/** e.g. `primary tl 2`, `replica tl 2`, `down`, `primary tl ? (patroni silent)`, `other: patroni replica/starting, postgres down`. */
export function describeSample(s: SampleEvent): string {
  const category = categoryOf(s);
  const etcd = s.etcd ? '' : ', etcd down';
  if (category === 'down') return `down${etcd}`;
  const patroni = s.reachable ? '' : ' (patroni silent)';
  if (category === 'other') return `other: patroni ${s.reachable ? `${s.role}/${s.state}` : 'silent'}, postgres ${s.pg}${etcd}`;
  return `${category} tl ${s.timeline ?? '?'}${patroni}${etcd}`;
}
