import t from 'tap';
import { parseLeaderId, parseMemberList } from '../../lab/cluster/etcd.js';

t.test("etcd's member list from its HTTP gateway", async (t) => {
  const body = {
    header: { cluster_id: '1' },
    members: [
      { ID: '1', name: 'node1', peerURLs: ['http://192.168.1.11:2380'], clientURLs: ['http://192.168.1.11:2379'] },
      { ID: '2', peerURLs: ['http://192.168.1.12:2380'] },
    ],
  };
  t.same(
    parseMemberList(body),
    [
      { id: '1', name: 'node1', clientUrls: ['http://192.168.1.11:2379'] },
      { id: '2', name: '', clientUrls: [] },
    ],
    'a member added but not started has no name yet',
  );
  t.throws(() => parseMemberList({ error: 'etcdserver: no leader' }), /not an etcd member list/);
});

t.test("the raft leader's id from a member's status", async (t) => {
  // etcd's gateway writes uint64s as decimal strings.
  t.equal(
    parseLeaderId({ header: { member_id: '9372538179322589801' }, leader: '10501334649042878790', raftTerm: '3' }),
    '10501334649042878790',
  );
  t.throws(() => parseLeaderId({ header: {}, leader: '0' }), /no raft leader/, 'leader 0: an election is going on');
  t.throws(() => parseLeaderId({ error: 'context deadline exceeded' }), /no raft leader/);
});
