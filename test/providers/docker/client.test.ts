/** Engine addresses as DOCKER_HOST and docker contexts write them, into client options. */
import t from 'tap';
import { engineOptions } from '../../../lab/providers/docker/client.js';

t.test('unix, tcp with and without TLS, ssh', async (t) => {
  t.same(engineOptions('unix:///run/pgha-lab-engine2/docker.sock'), { socketPath: '/run/pgha-lab-engine2/docker.sock' });
  t.same(engineOptions('tcp://box2:2375'), { host: 'box2', port: '2375', protocol: 'http' });
  t.same(engineOptions('tcp://box2', { ca: 'C', cert: 'E', key: 'K' }), {
    host: 'box2',
    port: '2376',
    protocol: 'https',
    ca: 'C',
    cert: 'E',
    key: 'K',
  });
  t.match(engineOptions('ssh://trainer@box3:2222'), { host: 'box3', port: '2222', protocol: 'ssh', username: 'trainer' });
  t.throws(() => engineOptions('http://box'), /expected unix:\/\/\/path, tcp:\/\/host:port or ssh:\/\/user@host/);
});
