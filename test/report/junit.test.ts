/** JUnit for a CI dashboard: valid against a published schema, each testcase timed with what it stands for. */
import t from 'tap';
import { junitReport } from '../../lab/report/junit.js';
import { parseScenario } from '../../lab/scenarios/load.js';
import { failoverHistory, HistoryBuilder, resultOf } from '../scenarios/build-history.js';
import { junitSchemaProblems } from './junit-schema.js';

const scenario = parseScenario(
  'name: test\nsummary: s\nsteps: [{sleep: 1s}, {sleep: 2s}]\nchecks: [single-primary, failover-time, rejoined, no-lost-writes]\n',
  'test.yaml',
);
const CHECKS = scenario.checks;

/** The textbook failover with its two steps timed: the first from 1 s to 10 s, the second from 10 s to 59 s. */
const stepped = (tweak: Parameters<typeof failoverHistory>[0] = {}) =>
  failoverHistory(tweak)
    .step(1_000, 0, 'sleep: 1s', 'start')
    .step(10_000, 0, 'sleep: 1s', 'ok')
    .step(10_000, 1, 'sleep: 2s', 'start')
    .step(59_000, 1, 'sleep: 2s', 'ok');

const testcase = (xml: string, name: string) =>
  xml.match(
    new RegExp(`<testcase classname="[^"]*" name="${name.replace(/[.*()]/g, '\\$&')}" time="[^"]*">[\\s\\S]*?</testcase>`),
  )?.[0];

t.test('a passing, a failing and an interrupted run each validate against the JUnit schema', async (t) => {
  const interrupted = failoverHistory()
    .step(1_000, 0, 'sleep: 1s', 'start')
    .step(5_000, 0, 'sleep: 1s', 'skipped', 'interrupted')
    .step(5_000, 1, 'sleep: 2s', 'skipped', 'interrupted')
    .build();
  const xmls = [stepped().build(), stepped({ oldStaysPrimaryUntil: 33_000 }).build(), interrupted].map((h) =>
    junitReport(resultOf(h, CHECKS)),
  );
  t.same(await junitSchemaProblems(...xmls), []);
});

t.test('the schema check can fail: a testcase without its name is refused', async (t) => {
  const broken = junitReport(resultOf(stepped().build(), CHECKS)).replace(/ name="single-primary"/, '');
  const problems = await junitSchemaProblems(broken);
  t.match(problems.join('\n'), /testcase.*name.*required/);
});

t.test('a step is a testcase timed from its start to its end', async (t) => {
  const xml = junitReport(resultOf(stepped().build(), CHECKS));
  t.match(testcase(xml, '1. sleep: 1s'), /classname="scenario\.test\.steps" name="1\. sleep: 1s" time="9\.000"/);
  t.match(testcase(xml, '2. sleep: 2s'), /time="49\.000"/);
  t.notOk(testcase(xml, 'steps'), 'the steps check is shown as its steps');
  t.match(xml, /<testsuite name="test" tests="6" failures="0" errors="0" skipped="0" time="61\.000"/);
});

t.test("a check's time is the duration it judged, or the whole run it read", async (t) => {
  const xml = junitReport(resultOf(stepped().build(), CHECKS));
  t.match(testcase(xml, 'failover-time'), /time="21\.000"/, 'the crash at 10 s to node2 accepting writes at 31 s');
  t.match(testcase(xml, 'rejoined'), /time="5\.000"/, 'the heal at 40 s to node1 streaming at 45 s');
  t.match(testcase(xml, 'single-primary'), /time="60\.500"/, 'the History, to its final read at 60.5 s');
  const stuck = new HistoryBuilder()
    .roles(0, 70_000, { node1: 'primary', node2: 'replica', node3: 'replica' })
    .fault(10_000, 'crash-node', 'node1')
    .build();
  t.match(testcase(junitReport(resultOf(stuck, CHECKS)), 'failover-time'), /time="69\.750"/, 'no promotion: the whole run');
});

t.test('a failed step fails, the steps it stopped are skipped, a step cut by an interruption is an error', async (t) => {
  const failed = failoverHistory()
    .step(1_000, 0, 'wait: healthy', 'start')
    .step(3_000, 0, 'wait: healthy', 'fail', 'not within 2 s')
    .step(3_000, 1, 'sleep: 2s', 'skipped', 'step 1 failed')
    .build();
  const xml = junitReport(resultOf(failed, CHECKS));
  t.match(testcase(xml, '1. wait: healthy'), /time="2\.000">\n {6}<failure message="not within 2 s">/);
  t.match(testcase(xml, '2. sleep: 2s'), /time="0\.000">\n {6}<skipped message="step 1 failed"\/>/);
  const cut = failoverHistory()
    .step(1_000, 0, 'sleep: 1s', 'start')
    .step(1_500, 0, 'sleep: 1s', 'skipped', 'interrupted')
    .build();
  t.match(testcase(junitReport(resultOf(cut, CHECKS)), '1. sleep: 1s'), /time="0\.500">\n {6}<error message="interrupted">/);
  const none = junitReport(resultOf(failoverHistory().build(), CHECKS));
  t.match(testcase(none, 'steps'), /<error message="0 step\(s\) did not run">/, 'no step recorded: the steps check says so');
});

t.test('counts and escaped text', async (t) => {
  const xml = junitReport(resultOf(stepped({ oldStaysPrimaryUntil: 33_000 }).build(), CHECKS));
  t.match(xml, /<testsuite name="test" tests="6" failures="1" errors="0"/);
  t.match(xml, /<testcase classname="scenario.test" name="single-primary" time="[\d.]+">\n {6}<failure message="two primaries/);
  const history = failoverHistory().step(1_000, 0, 'wait: x < "y" & z', 'fail', 'not <within> 2 s').build();
  history.meta.scenario = 'a&b';
  const odd = junitReport(resultOf(history, CHECKS));
  t.match(odd, /<testsuite name="a&amp;b"/);
  t.match(odd, /name="1\. wait: x &lt; &quot;y&quot; &amp; z" time="0\.000">\n {6}<failure message="not &lt;within&gt; 2 s">/);
  t.same(await junitSchemaProblems(odd), []);
});

t.test("the run's figures as the suite's properties, for a dashboard to chart", async (t) => {
  const passing = resultOf(stepped().build(), CHECKS);
  const xml = junitReport(passing);
  const f = passing.figures;
  t.match(xml, `<property name="promotion_ms" value="${Math.round(f.promotionMs!)}"/>`);
  t.match(xml, `<property name="writes_ok" value="${f.writesOk}"/>`);
  t.match(xml, /<properties>[\s\S]*<\/properties>\n {4}<testcase/, 'before the testcases, as the schema orders them');
});

t.test("the --workload command's last lines in the suite's system-out; its testcase timed with its run", async (t) => {
  const history = stepped().build();
  history.events.push(
    { kind: 'command', phase: 'start', t: 8_000, command: './my-tests.sh' },
    {
      kind: 'command',
      phase: 'end',
      t: 58_000,
      command: './my-tests.sh',
      exitCode: 0,
      durationMs: 50_000,
      tail: ['ok 12 tests'],
    },
  );
  const xml = junitReport(resultOf(history, CHECKS));
  t.match(xml, /<system-out>workload `\.\/my-tests\.sh`, its last lines:\n {2}\| ok 12 tests<\/system-out>/);
  t.match(testcase(xml, 'workload-command'), /time="50\.000"/);
  t.same(await junitSchemaProblems(xml), []);
});
