/** `pc-verify run` exit codes, for CI pipelines. */
export const EXIT = { pass: 0, fail: 1, usage: 2 } as const;

/** A mistake in how pc-verify was called or configured: printed as is, exit 2. */
export class UsageError extends Error {
  readonly code = 'PCV_USAGE';
  override readonly name = 'UsageError';
}
