/**
 * One of CI's two halves: the Docker provider's lab and what interrupting it leaves (docker.ts), then
 * every shipped scenario on the asynchronous lab with entry points (scenarios-shipped.ts). tap runs
 * two files at a time and starts them in no fixed order (it prepares them concurrently), so CI's
 * integration tests are two files of about the same length (the other is
 * workshop-then-vagrant.test.ts): CI takes as long whatever order tap picks. Each part has its own
 * lab; tap runs the two parts one after the other.
 */
import './taken-ports.js';
import './docker.js';
import './scenarios-shipped.js';
