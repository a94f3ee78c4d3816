import t from 'tap';
import { isContainerScanRace } from '../../../lab/providers/vagrant/container-scan-race.js';

// What Vagrant 2.3.4 printed when another project's container went away during its port scan (seen here).
const RACE = `==> node3: Creating the container...
    node3: Image: 7b6ba21fbe45
A Docker command executed by Vagrant didn't complete successfully!
The command run along with the output from the command is shown
below.

Command: ["docker", "inspect", "57871c7b83b5508a6b4226ccfdac75f236270e60179f947d99ff4c9322e72406", {:notify=>[:stdout, :stderr]}]

Stderr: Error: No such object: 57871c7b83b5508a6b4226ccfdac75f236270e60179f947d99ff4c9322e72406

Stdout: []`;

t.test("Vagrant's container scan losing a race is told apart from the lab's own failures", async (t) => {
  t.ok(isContainerScanRace(RACE), 'the race, as Vagrant prints it');
  t.ok(isContainerScanRace(RACE.replace(/\n/g, '\\n')), 'and as --machine-readable escapes it');
  t.notOk(
    isContainerScanRace(RACE.replace(/No such object: 5787/, 'No such object: 9999')),
    'another id in the error: not this race',
  );
  t.notOk(
    isContainerScanRace(
      'Command: ["docker", "run", "--name", "vg-1-node1"]\nStderr: Error: Conflict. The container name is already in use',
    ),
    'a failure of the lab: not this race',
  );
  t.notOk(
    isContainerScanRace("node1 40-patroni failed: Patroni's REST API does not answer on port 8008"),
    'a provisioner failing: not this race',
  );
});
