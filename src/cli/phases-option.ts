import { PHASE_NUMBERS, type PhaseNumber } from '../domain/phase.ts';
import { UsageError } from './exit-codes.ts';

/** `--phases 0,1` → [0, 1]; anything else is a usage error naming what is allowed. */
export function parsePhases(value: string | undefined): readonly PhaseNumber[] {
  if (value === undefined) return PHASE_NUMBERS;
  const items = value.split(',').map((s) => s.trim());
  const phases = items
    .map(Number)
    .filter((n): n is PhaseNumber => (PHASE_NUMBERS as readonly number[]).includes(n));
  if (phases.length !== items.length || phases.length === 0) {
    throw new UsageError(`--phases takes a comma-separated list of 0, 1, 2, 3 (got "${value}")`);
  }
  return [...new Set(phases)].sort();
}
