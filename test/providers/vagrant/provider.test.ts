import t from 'tap';
import { vagrantUpArgs } from '../../../lab/providers/vagrant/provider.js';

t.test('what lab up asks of Vagrant', async (t) => {
  t.same(
    vagrantUpArgs('docker', true, false),
    ['up', '--provider=docker'],
    'missing machines: vagrant up provisions the ones it creates',
  );
  t.same(
    vagrantUpArgs('virtualbox', true, true),
    ['up', '--provider=virtualbox', '--provision'],
    'missing machines after an unfinished up: the existing ones are provisioned again too',
  );
  t.same(vagrantUpArgs('libvirt', false, true), ['provision'], 'every machine runs: provisioned again');
});
