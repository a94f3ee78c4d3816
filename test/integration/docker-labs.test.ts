/**
 * CI's Docker provider labs, one after the other: the Docker provider's lab and what interrupting it
 * leaves (docker.ts), every shipped scenario on the asynchronous lab with entry points
 * (scenarios-shipped.ts), and a workshop of three seats on two engines (workshop.ts). tap runs two
 * files at a time and starts them in no fixed order (it prepares them concurrently), so CI's
 * integration tests are two files of about the same length, this one and
 * as-documented-vagrant.test.ts: CI takes as long whatever order tap picks. Each part has its own lab.
 */
import './docker.js';
import './scenarios-shipped.js';
import './workshop.js';
