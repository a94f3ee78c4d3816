import t from 'tap';
import { elleHistory } from '../../lab/report/elle.js';
import { HistoryBuilder } from '../scenarios/build-history.js';

t.test("the list-append transactions in elle-cli's JSON shape, everything else left out", async (t) => {
  const h = new HistoryBuilder()
    .writes(0, 100, 'node1', 'ok')
    .txn(3, 10, 5, 'ok', [
      ['append', 1, 1],
      ['r', 2, [4]],
    ])
    .txn(4, 20, 5, 'info', [['r', 1, null]])
    .build();
  t.same(JSON.parse(elleHistory(h)), [
    {
      index: 0,
      time: 10_000_000,
      type: 'invoke',
      process: 3,
      f: 'txn',
      value: [
        ['append', 1, 1],
        ['r', 2, null],
      ],
    },
    {
      index: 1,
      time: 15_000_000,
      type: 'ok',
      process: 3,
      f: 'txn',
      value: [
        ['append', 1, 1],
        ['r', 2, [4]],
      ],
    },
    { index: 2, time: 20_000_000, type: 'invoke', process: 4, f: 'txn', value: [['r', 1, null]] },
    { index: 3, time: 25_000_000, type: 'info', process: 4, f: 'txn', value: [['r', 1, null]] },
  ]);
});
