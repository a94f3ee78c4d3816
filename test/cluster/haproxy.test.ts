/** HAProxy's stats CSV read into the servers of each listener. */
import t from 'tap';
import { parseHaproxyCsv, serversUp } from '../../lab/cluster/haproxy.js';

// The first columns and the status/check_status columns of HAProxy 2.6's `/;csv`, as it prints them.
const CSV = [
  '# pxname,svname,qcur,qmax,scur,smax,slim,stot,bin,bout,dreq,dresp,ereq,econ,eresp,wretr,wredis,status,weight,act,bck,chkfail,chkdown,lastchg,downtime,qlimit,pid,iid,sid,throttle,lbtot,tracked,type,rate,rate_lim,rate_max,check_status,',
  'stats,FRONTEND,,,1,1,200,1,0,0,0,0,0,,,,,OPEN,,,,,,,,,1,2,0,,,,0,1,0,1,,',
  'primary,FRONTEND,,,0,0,200,0,0,0,0,0,0,,,,,OPEN,,,,,,,,,1,3,0,,,,0,0,0,0,,',
  'primary,node1,0,0,0,0,100,0,0,0,,0,,0,0,0,0,UP,1,1,0,0,0,20,0,,1,3,1,,0,,2,0,,0,L7OK,',
  'primary,node2,0,0,0,0,100,0,0,0,,0,,0,0,0,0,DOWN,1,1,0,1,1,20,20,,1,3,2,,0,,2,0,,0,L7STS,',
  'primary,BACKEND,0,0,0,0,20,0,0,0,0,0,,0,0,0,0,UP,1,1,0,,0,20,0,,1,3,0,,0,,1,0,,0,,',
  'standbys,node1,0,0,0,0,100,0,0,0,,0,,0,0,0,0,DOWN 1/2,1,1,0,0,0,20,0,,1,4,1,,0,,2,0,,0,L7STS,',
  'standbys,node2,0,0,0,0,100,0,0,0,,0,,0,0,0,0,UP,1,1,0,0,0,20,0,,1,4,2,,0,,2,0,,0,L7OK,',
  '',
].join('\n');

t.test('the servers of each listener, without frontends, backends or the stats page', async (t) => {
  t.same(parseHaproxyCsv(CSV), [
    { proxy: 'primary', server: 'node1', status: 'UP', check: 'L7OK' },
    { proxy: 'primary', server: 'node2', status: 'DOWN', check: 'L7STS' },
    { proxy: 'standbys', server: 'node1', status: 'DOWN 1/2', check: 'L7STS' },
    { proxy: 'standbys', server: 'node2', status: 'UP', check: 'L7OK' },
  ]);
});

t.test('only servers plainly UP take connections', async (t) => {
  const servers = parseHaproxyCsv(CSV);
  t.same(serversUp(servers, 'primary'), ['node1']);
  t.same(serversUp(servers, 'standbys'), ['node2'], 'DOWN 1/2 is on its way up, not up yet');
});

t.test('a page without the CSV header gives no servers', async (t) => {
  t.same(parseHaproxyCsv('<html>503 Service Unavailable</html>'), []);
});
