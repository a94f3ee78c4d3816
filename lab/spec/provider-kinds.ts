/**
 * What can run a lab's nodes (lab.yaml's `provider`). A module of its own so that the command line
 * offers them (`--provider`) without loading TypeBox, which schema.ts builds lab.yaml's schema with.
 */
export const PROVIDER_KINDS = ['vagrant', 'docker'] as const;
