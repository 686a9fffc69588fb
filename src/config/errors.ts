/** A configuration that cannot be used; `problems` has one line per mistake, each naming its key path. */
export class ConfigError extends Error {
  readonly code = 'PCV_CONFIG_INVALID';
  constructor(
    readonly source: string,
    readonly problems: readonly string[],
  ) {
    super(
      `${source}: ${problems.length} problem${problems.length === 1 ? '' : 's'} in the configuration:\n` +
        problems.map((p) => `  - ${p}`).join('\n') +
        '\nFix the file (see pc-verify.example.yml for every key) and start again.',
    );
    this.name = 'ConfigError';
  }
}
