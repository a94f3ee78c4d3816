import t from 'tap';
import { parseMemberList } from '../../lab/cluster/etcd.js';

t.test("etcd's member list from its HTTP gateway", async (t) => {
  const body = {
    header: { cluster_id: '1' },
    members: [
      { ID: '1', name: 'node1', peerURLs: ['http://192.168.1.11:2380'], clientURLs: ['http://192.168.1.11:2379'] },
      { ID: '2', peerURLs: ['http://192.168.1.12:2380'] },
    ],
  };
  t.same(parseMemberList(body), [
    { name: 'node1', clientUrls: ['http://192.168.1.11:2379'] },
    { name: '', clientUrls: [] },
  ], 'a member added but not started has no name yet');
  t.throws(() => parseMemberList({ error: 'etcdserver: no leader' }), /not an etcd member list/);
});
