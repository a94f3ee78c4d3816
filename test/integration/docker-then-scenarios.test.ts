/**
 * One of CI's two halves: the Docker provider's labs, what interrupting them leaves, and every shipped
 * scenario on the asynchronous lab with entry points (docker.ts), after a container start on taken
 * ports (taken-ports.ts). tap runs two files at a time and starts them in no fixed order (it prepares
 * them concurrently), so CI's integration tests are two files of about the same length (the other is
 * workshop-then-vagrant.test.ts): CI takes as long whatever order tap picks.
 */
import './taken-ports.js';
import './docker.js';
