import { defineCrashMatrix } from '../helpers/crash-matrix.ts';

// Prod: approval gate, rollbackOnFailure true.
defineCrashMatrix('prod');
