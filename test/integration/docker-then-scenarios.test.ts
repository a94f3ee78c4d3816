/**
 * One of CI's two halves: Ctrl-C during every image build (interrupted-builds.ts), the Docker provider's labs, what interrupting them leaves, every shipped
 * scenario on the asynchronous lab with entry points, and a Vagrant lab in Vagrant's parallel order
 * beside it (docker.ts), after a container start on taken ports (taken-ports.ts); then the point-in-time
 * restore drill on a lab with a backup node (backup.ts); last, a lab on Debian forky with PostgreSQL 18
 * and Patroni 4.1 (forky.ts), whose base this half builds on a cold machine. tap runs three files
 * at once, this one, workshop-then-vagrant.test.ts and all-units.test.ts, so CI's integration tests
 * are two files of about the same length.
 */
import './interrupted-builds.js';
import './taken-ports.js';
import './docker.js';
import './backup.js';
import './forky.js';
