import { defineCrashMatrix } from '../helpers/crash-matrix.ts';

// Staging: no approval gate, rollbackOnFailure false; its switch-off is the kill switch.
defineCrashMatrix('staging');
