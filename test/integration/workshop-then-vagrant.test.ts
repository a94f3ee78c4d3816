/**
 * One of CI's two halves: a workshop of three seats on two engines (workshop.ts), a small lab on a
 * cgroup v2 engine (cgroup2.ts), then the generated Vagrantfile run by Vagrant, which is CI's
 * synchronous lab (as-documented-vagrant.ts), then the README's DBA quick start (dba-path.ts). Why two halves: docker-then-scenarios.test.ts. Each
 * part has its own lab; tap runs the parts one after the other.
 *
 * The workshop goes first: its nine seat containers booting at once are CI's heaviest burst (a load
 * of about 20 on two cores for some 40 s, more with the other half running). At the start it runs
 * beside the other half's bring-ups, which only wait, boundedly; at the end it ran beside the last
 * shipped scenarios, whose checks measure seconds: a landing run's switchover failed there.
 */
import './workshop.js';
// After the workshop, which leaves the node image on engine one (the cgroup v2 engine gets a copy).
import './cgroup2.js';
import './as-documented-vagrant.js';
// Last: the README's DBA quick start, line by line, on a lab of its own (Vagrant's docker provider).
// Here rather than in the Docker half, which builds forky's base and node image on a cold machine.
import './dba-path.js';
