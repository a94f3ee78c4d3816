import t from 'tap';
import { formatCiBench, tapCounts } from '../../bench/ci.js';

t.test("tapCounts reads tap's last summary line", async (t) => {
  t.equal(tapCounts('# { total: 12, pass: 12 }\n# time=1ms\n'), '12 of 12 passed');
  t.equal(tapCounts('# { total: 3, pass: 3 }\nmore\n# { total: 3912, pass: 3908, fail: 4 }\n'), '3908 of 3912 passed');
  t.equal(tapCounts('ok 1 - no summary\n'), undefined);
});

t.test('formatCiBench puts cold beside warm, with the verdict of each', async (t) => {
  const text = formatCiBench({
    cold: { seconds: 744, tests: '4804 of 4804 passed', exitCode: 0 },
    warm: { seconds: 480, tests: undefined, exitCode: 1 },
  });
  t.match(text, /CI cold .* 12\.4 min {2}green, 4804 of 4804 passed/);
  t.match(text, /CI warm .* 8\.0 min {2}exit 1, no tap summary/);
});
