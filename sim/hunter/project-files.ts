import { mkdir, rm, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';

export const CONTROL_DIR = '.hunter-sim';
export const CONTROL_FILE = 'control.json';

/** Compose's default project name: the directory's name, lowercased, invalid characters dropped. */
export function defaultProjectName(projectDir: string): string {
  const name = basename(projectDir)
    .toLowerCase()
    .replace(/[^a-z0-9_-]/g, '')
    .replace(/^[_-]+/, '');
  return name === '' ? 'hunter' : name;
}

/** A compose file that says what the simulator models (compose checks that one exists). */
export function composeFileText(envMode: 'bind-mount' | 'env-file', apiPort: number): string {
  const envLines =
    envMode === 'env-file'
      ? ['    env_file: .env']
      : ['    volumes:', '      - ./.env:/app/.env:ro', '      - app-data:/app/data'];
  const app = (command: string, extra: string[]) => [
    '    image: dyn365hunter:latest',
    `    command: ${command}`,
    ...envLines,
    ...extra,
    '    depends_on: [postgres, redis]',
  ];
  return [
    '# Simulated by sim/hunter (pc-verify): no containers run; `docker` on PATH is a stand-in.',
    'services:',
    '  api:',
    ...app('uvicorn app.main:app --host 0.0.0.0 --port 8000', [
      '    ports:',
      `      - "127.0.0.1:${apiPort}:8000"`,
    ]),
    '  worker:',
    ...app('celery -A app.core.celery_app worker --loglevel=info', []),
    '  postgres:',
    '    image: postgres:16-alpine',
    '    environment: { POSTGRES_USER: dyn365hunter, POSTGRES_DB: dyn365hunter }',
    '  redis:',
    '    image: redis:7-alpine',
    ...(envMode === 'bind-mount' ? ['volumes:', '  app-data: {}'] : []),
    '',
  ].join('\n');
}

/** Where the stand-ins find the simulator: `<projectDir>/.hunter-sim/control.json`. */
export async function writeControlFile(projectDir: string, url: string, token: string): Promise<void> {
  const dir = join(projectDir, CONTROL_DIR);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  await writeFile(join(dir, CONTROL_FILE), `${JSON.stringify({ url, token })}\n`, { mode: 0o600 });
}

export async function removeControlFile(projectDir: string): Promise<void> {
  await rm(join(projectDir, CONTROL_DIR), { recursive: true, force: true });
}
