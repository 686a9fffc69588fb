import { fileURLToPath } from 'node:url';

// The stand-in `docker` / `docker-compose` executables come first on PATH, so the compose
// driver reaches the Hunter simulator and never a real Docker.
const simBin = fileURLToPath(new URL('../../sim/bin', import.meta.url));
if (!process.env.PATH?.startsWith(simBin)) process.env.PATH = `${simBin}:${process.env.PATH ?? ''}`;
