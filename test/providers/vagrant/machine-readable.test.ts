import t from 'tap';
import { parseMachineReadable, parsePorts, parseStatus, remoteCommand } from '../../../lab/providers/vagrant/machine-readable.js';

t.test('vagrant status --machine-readable', async (t) => {
  const text = [
    '1700000000,node1,metadata,provider,virtualbox',
    '1700000000,node1,provider-name,virtualbox',
    '1700000000,node1,state,running',
    '1700000000,node2,state,poweroff',
    '1700000000,node3,state,not_created',
    '1700000000,,ui,info,Current machine states:%!(VAGRANT_COMMA) see below\\n',
  ].join('\n');
  t.same([...parseStatus(text)], [['node1', 'running'], ['node2', 'poweroff'], ['node3', 'not_created']]);
  t.equal(parseMachineReadable(text).at(-1)?.data[1], 'Current machine states:, see below\n', 'commas and newlines unescaped');
});

t.test('vagrant port --machine-readable', async (t) => {
  const text = ['1700000000,node1,metadata,provider,virtualbox', '1700000000,node1,forwarded_port,22,2222', '1700000000,node1,forwarded_port,8008,2200'].join('\n');
  t.same([...parsePorts(text)], [[22, 2222], [8008, 2200]]);
});

t.test('remote commands are quoted for the guest shell and run as root', async (t) => {
  t.equal(remoteCommand(['psql', '-c', "select 'a b'"]), `sudo -n 'psql' '-c' 'select '\\''a b'\\'''`);
});
