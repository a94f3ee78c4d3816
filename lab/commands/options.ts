/** Options shared by several commands, declared once. */
export const providerOption = {
  type: 'string',
  choices: ['vagrant', 'docker'],
  describe: 'Override lab.yaml provider',
} as const;
