/**
 * One of CI's two halves: the generated Vagrantfile run by Vagrant, which is CI's synchronous lab
 * (as-documented-vagrant.ts), then a workshop of three seats on two engines (workshop.ts). Why two
 * halves: docker-then-scenarios.test.ts. Each part has its own lab; tap runs the two parts one after
 * the other.
 */
import './as-documented-vagrant.js';
import './workshop.js';
