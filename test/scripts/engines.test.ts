/**
 * The scripts that start a second Docker engine on this host (`dockerd --host ...`: scripts/engine2.sh,
 * scripts/engine-cgroup2.sh) must give it a bridge of its own: an engine started with
 * `--bridge none` deletes the interface docker0 at start-up, and docker0 is engine one's default
 * bridge (HOST-FACTS: engine one's next `docker run` failed until it was made again by hand).
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import t from 'tap';
import { ROOT } from '../helpers.js';

/** A script without its comments: they name `--bridge none` to say why it is not used. */
function code(script: string): string {
  return script
    .split('\n')
    .filter((line) => !/^\s*#/.test(line))
    .join('\n');
}

const scripts = readdirSync(path.join(ROOT, 'scripts')).filter((f) => f.endsWith('.sh'));
const engines = scripts.filter((f) => /\bdockerd\s+--host\b/.test(code(readFileSync(path.join(ROOT, 'scripts', f), 'utf8'))));

t.test('every script that starts an engine gives it a bridge of its own, never --bridge none', async (t) => {
  t.ok(
    engines.includes('engine2.sh') && engines.includes('engine-cgroup2.sh'),
    `the scan finds the engines' scripts (${engines.join(', ')})`,
  );
  for (const f of scripts) {
    const body = code(readFileSync(path.join(ROOT, 'scripts', f), 'utf8'));
    t.notMatch(body, /--bridge[\s=]+["']?none\b/, `${f} never starts an engine with --bridge none`);
    if (engines.includes(f)) {
      t.match(body, /--bridge\s+"\$\w+"/, `${f} names its engine's bridge`);
      t.match(body, /bridge_up "\$\w+"/, `${f} makes that bridge (engine-lib.sh's bridge_up)`);
    }
  }
});

t.test('the comment filter keeps code and drops comments', async (t) => {
  t.equal(code('# --bridge none deletes docker0\ndockerd --bridge "$BRIDGE"  \n  # x'), 'dockerd --bridge "$BRIDGE"  ');
});
