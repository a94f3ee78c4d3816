/**
 * Seats must not reach each other's nodes. Docker's own isolation is not enough here: it separates
 * only the networks of one engine, two engines on one host share its routing, and an engine restart
 * loses the rules (HOST-FACTS). So the workshop keeps its own chain in the host's filter table,
 * jumped to from DOCKER-USER (which Docker never flushes and always consults first), and
 * `lab workshop status` checks it is still there.
 *
 * The chain: traffic within a seat's subnet is accepted (an engine started without iptables, like
 * CI's second one, adds no rule of its own for it, and the host's FORWARD policy is DROP); any other
 * traffic from the pool into a Docker bridge, or from a Docker bridge into the pool, is dropped.
 * Traffic out to the world (a seat's apt) falls through to Docker's rules.
 */
import { execa } from 'execa';
import { ExitCode, LabError } from '../errors.js';

export const DOCKER_USER = 'DOCKER-USER';
/** Docker's bridges: docker0 and br-<network id> for user networks, on every engine of the host. */
const BRIDGES = ['br+', 'docker0'];

export const isolationChain = (workshop: string): string => `PGHA-WS-${workshop}`;

/** The chain's rules, as `iptables -S CHAIN` prints them (without the -N line). Pure. */
export function isolationRules(chain: string, pool: string, subnets: readonly string[]): string[] {
  return [
    ...subnets.map((s) => `-A ${chain} -s ${s} -d ${s} -j ACCEPT`),
    ...BRIDGES.flatMap((b) => [`-A ${chain} -s ${pool} -o ${b} -j DROP`, `-A ${chain} -d ${pool} -i ${b} -j DROP`]),
  ];
}

async function iptables(args: string[], reject = true): Promise<{ exitCode: number; stdout: string; stderr: string }> {
  // -w: Docker and other workshops change the same table; wait for its lock instead of failing.
  const r = await execa('iptables', ['-w', '10', ...args], { reject: false, timeout: 30_000 });
  if (reject && r.exitCode !== 0) {
    throw new LabError(
      `iptables ${args.join(' ')} failed: ${r.stderr.trim() || `exit ${r.exitCode}`}`,
      ExitCode.infrastructure,
      'the workshop needs root and iptables on the host of its engines (scripts/host-setup.sh installs it)',
    );
  }
  return { exitCode: r.exitCode ?? 1, stdout: r.stdout, stderr: r.stderr };
}

const exists = async (chain: string): Promise<boolean> => (await iptables(['-S', chain], false)).exitCode === 0;
const jumps = async (from: string, chain: string): Promise<boolean> =>
  (await iptables(['-C', from, '-j', chain], false)).exitCode === 0;

/** Installs (or rewrites) the workshop's chain and its jump from DOCKER-USER. Idempotent. */
export async function applyIsolation(workshop: string, pool: string, subnets: readonly string[]): Promise<void> {
  const chain = isolationChain(workshop);
  if (!(await exists(DOCKER_USER))) {
    // No engine on this host manages iptables: make the hook Docker would have made.
    await iptables(['-N', DOCKER_USER]);
    await iptables(['-I', 'FORWARD', '1', '-j', DOCKER_USER]);
  }
  if (await exists(chain)) await iptables(['-F', chain]);
  else await iptables(['-N', chain]);
  for (const rule of isolationRules(chain, pool, subnets)) await iptables(rule.split(' '));
  if (!(await jumps(DOCKER_USER, chain))) await iptables(['-I', DOCKER_USER, '1', '-j', chain]);
}

/** What is missing of the workshop's isolation now; none when every rule and the jump are in place. */
export async function isolationProblems(workshop: string, pool: string, subnets: readonly string[]): Promise<string[]> {
  const chain = isolationChain(workshop);
  const listed = await iptables(['-S', chain], false);
  if (listed.exitCode !== 0)
    return [`the iptables chain ${chain} is gone: seats can reach each other (\`lab workshop up\` puts it back)`];
  const present = new Set(listed.stdout.split('\n').map((l) => l.trim()));
  const missing = isolationRules(chain, pool, subnets).filter((r) => !present.has(r));
  const problems = missing.map((r) => `iptables rule missing: ${r}`);
  if (!(await jumps(DOCKER_USER, chain))) problems.push(`${DOCKER_USER} no longer jumps to ${chain}: seats can reach each other`);
  return problems;
}

/** Removes the chain and every jump to it. Idempotent. */
export async function removeIsolation(workshop: string): Promise<void> {
  const chain = isolationChain(workshop);
  // Bounded: one jump is all `apply` makes; a few more would be someone's copies.
  for (let i = 0; i < 10 && (await jumps(DOCKER_USER, chain)); i++) await iptables(['-D', DOCKER_USER, '-j', chain]);
  if (await exists(chain)) {
    await iptables(['-F', chain]);
    await iptables(['-X', chain]);
  }
}
