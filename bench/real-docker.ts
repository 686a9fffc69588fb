/**
 * pc-verify against the runbook typed as a script (bench/runbook.sh), on one real deployment of
 * the test Hunter (test/docker/hunter), alternating: a full staging run (Phases 0–3) by
 * `pc-verify run`'s code path, then the script, `--rounds` times. In both the device code is
 * approved at the fake Azure AD `--approve-after-ms` after it was shown. Target: pc-verify ≤ 0.8×
 * the script's wall time.
 *
 *   npx tsx bench/real-docker.ts [--rounds 3] [--compose v2|v1] [--env bind|env_file] [--approve-after-ms 2000]
 *
 * Needs a docker daemon and the images (`bash scripts/docker.sh`); runs as root (the fake Azure
 * AD listens on port 443 of a loopback address).
 */
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { execa } from 'execa';
import { startDeployment } from '../test/helpers/docker-hunter.ts';
import { checkLines, runAsCli } from '../test/helpers/docker-run.ts';
import { dockerReadiness, startDockerWorld } from '../test/helpers/docker-world.ts';
import { load1, machine, summary } from './stats.ts';

const { values } = parseArgs({
  options: {
    rounds: { type: 'string', default: '3' },
    compose: { type: 'string', default: 'v2' },
    env: { type: 'string', default: 'bind' },
    'approve-after-ms': { type: 'string', default: '2000' },
  },
});
const rounds = Number(values.rounds);
const compose = values.compose === 'v1' ? 'v1' : 'v2';
const env = values.env === 'env_file' ? 'env_file' : 'bind';
const approveAfterMs = Number(values['approve-after-ms']);
const RUNBOOK = fileURLToPath(new URL('./runbook.sh', import.meta.url));

const ready = await dockerReadiness();
if (!ready.ok) throw new Error(ready.reason);
const world = await startDockerWorld();
const deployment = await startDeployment({
  compose,
  env,
  envLines: world.envLines(false),
  caPem: world.aad.ca,
});

type PhaseMs = Record<string, number>;
const scriptPhases: PhaseMs[] = [];
const pcVerifyPhases: PhaseMs[] = [];

/** The script, approving its device code (printed by the setup script) after the same delay. */
async function runScript(): Promise<number> {
  const marks: number[] = [];
  const started = performance.now();
  const child = execa(
    'bash',
    [RUNBOOK, deployment.projectDir, deployment.apiUrl, String(deployment.ports.postgres)],
    {
      env: { COMPOSE: deployment.command.join(' ') },
      all: true,
      reject: false,
      buffer: false,
      timeout: 300_000,
    },
  );
  let output = '';
  let approved = false;
  child.all?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
    while (marks.length < (output.match(/^PHASE \d$/gm) ?? []).length)
      marks.push(performance.now() - started);
    const code = /enter the code (\S+)/.exec(output)?.[1];
    if (code && !approved) {
      approved = true;
      setTimeout(() => world.aad.approve(code), approveAfterMs);
    }
  });
  const res = await child;
  const wall = performance.now() - started;
  if (res.exitCode !== 0) throw new Error(`the runbook script failed (exit ${res.exitCode}):\n${output}`);
  scriptPhases.push(
    Object.fromEntries(marks.map((at, i) => [`phase${i}`, Math.round((marks[i + 1] ?? wall) - at)])),
  );
  return wall;
}

async function runPcVerify(): Promise<number> {
  const started = performance.now();
  const { report } = await runAsCli(world, world.environment(deployment), { approveAfterMs });
  const wall = performance.now() - started;
  if (report.verdict !== 'PASS') throw new Error(`pc-verify did not pass:\n${checkLines(report).join('\n')}`);
  pcVerifyPhases.push(
    Object.fromEntries(
      report.phases.map((p) => [`phase${p.phase}`, p.checks.reduce((sum, c) => sum + c.ms, 0)]),
    ),
  );
  return wall;
}

const pcVerify: number[] = [];
const script: number[] = [];
const ratios: number[] = [];
const loads: number[] = [];
try {
  for (let i = 0; i < rounds; i++) {
    const ours = await runPcVerify();
    const theirs = await runScript();
    pcVerify.push(ours);
    script.push(theirs);
    ratios.push(ours / theirs);
    loads.push(load1());
  }
} finally {
  await deployment.stop();
  await world.stop();
}

const versions = await execa('docker', [
  'version',
  '--format',
  '{{.Server.Version}} / CLI {{.Client.Version}}',
]);
console.log(
  JSON.stringify(
    {
      benchmark: 'real-docker',
      rounds,
      compose: `${compose} (${deployment.command.join(' ')})`,
      env,
      approveAfterMs,
      docker: versions.stdout.trim(),
      pcVerifyMs: summary(pcVerify),
      scriptMs: summary(script),
      ratio: summary(ratios),
      // Per phase, each round: the script's from its PHASE lines, pc-verify's as its checks' sum.
      scriptPhaseMs: scriptPhases,
      pcVerifyPhaseMs: pcVerifyPhases,
      target: '≤ 0.8',
      load1: summary(loads),
      machine: machine(),
    },
    null,
    2,
  ),
);
