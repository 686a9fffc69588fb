import { pyRepr } from '../python.ts';
import { celeryResultTraceback, workerTraceback } from '../tracebacks.ts';
import { type CommandReply, reply } from '../types.ts';
import type { Process } from './exec.ts';
import { type FlagDef, has, lastValue, parseFlags } from './flags.ts';

const APP_MODULE = 'app.core.celery_app';

const GLOBAL_FLAGS: readonly FlagDef[] = [
  { long: 'app', short: 'A', value: true },
  { long: 'broker', short: 'b', value: true },
  { long: 'result-backend', value: true },
  { long: 'loader', value: true },
  { long: 'config', value: true },
  { long: 'workdir', value: true },
  { long: 'quiet', short: 'q' },
  { long: 'no-color', short: 'C' },
  { long: 'skip-checks' },
];
const CALL_FLAGS: readonly FlagDef[] = [
  { long: 'args', short: 'a', value: true },
  { long: 'kwargs', short: 'k', value: true },
  { long: 'eta', value: true },
  { long: 'countdown', value: true },
  { long: 'expires', value: true },
  { long: 'serializer', value: true },
  { long: 'queue', value: true },
  { long: 'exchange', value: true },
  { long: 'routing-key', value: true },
];
const RESULT_FLAGS: readonly FlagDef[] = [{ long: 'task', short: 't', value: true }, { long: 'traceback' }];

/** `celery -A app.core.celery_app call|result …` in the worker container. */
export async function celery(proc: Process): Promise<CommandReply> {
  const root = parseFlags(proc.args, GLOBAL_FLAGS, false);
  if (!root.ok) return clickError('celery [OPTIONS] COMMAND [ARGS]...', 'celery', noSuchOption(root.error));
  const app = lastValue(root.flags, 'app');
  if (app === undefined) {
    return reply(
      1,
      '',
      '[ERROR/MainProcess] consumer: Cannot connect to amqp://guest:**@127.0.0.1:5672//: [Errno 111] Connection refused.\n',
    );
  }
  if (app !== APP_MODULE && app !== `${APP_MODULE}:celery_app`) {
    return clickError(
      'celery [OPTIONS] COMMAND [ARGS]...',
      'celery',
      `Invalid value for '-A' / '--app': \nUnable to load celery application.\nThe module ${app.split(':')[0]} was not found.`,
    );
  }
  const [command, ...rest] = root.args;
  if (command === 'call') return call(proc, rest);
  if (command === 'result') return result(proc, rest);
  if (command === undefined)
    return clickError('celery [OPTIONS] COMMAND [ARGS]...', 'celery', 'Missing command.');
  if (
    ['inspect', 'status', 'worker', 'beat', 'purge', 'control', 'events', 'shell', 'report'].includes(command)
  ) {
    return reply(1, '', `hunter-sim: \`celery ${command}\` is not simulated\n`);
  }
  return clickError('celery [OPTIONS] COMMAND [ARGS]...', 'celery', `No such command '${command}'.`);
}

/** Sends the task by name and prints its id: whether a worker knows it is the worker's business. */
function call(proc: Process, argv: readonly string[]): CommandReply {
  const parsed = parseFlags(argv, CALL_FLAGS, true);
  if (!parsed.ok) return clickError('celery call [OPTIONS] NAME', 'celery call', noSuchOption(parsed.error));
  const [name, extra] = parsed.args;
  if (name === undefined)
    return clickError('celery call [OPTIONS] NAME', 'celery call', "Missing argument 'NAME'.");
  if (extra !== undefined)
    return clickError(
      'celery call [OPTIONS] NAME',
      'celery call',
      `Got unexpected extra argument (${extra})`,
    );
  return reply(0, `${proc.inv.project.worker.send(name)}\n`);
}

/** `AsyncResult(id).get()`: blocks until the task is done (forever for an unknown id). */
async function result(proc: Process, argv: readonly string[]): Promise<CommandReply> {
  const usage = 'celery result [OPTIONS] TASK_ID';
  const parsed = parseFlags(argv, RESULT_FLAGS, true);
  if (!parsed.ok) return clickError(usage, 'celery result', noSuchOption(parsed.error));
  const [taskId, extra] = parsed.args;
  if (taskId === undefined) return clickError(usage, 'celery result', "Missing argument 'TASK_ID'.");
  if (extra !== undefined)
    return clickError(usage, 'celery result', `Got unexpected extra argument (${extra})`);
  const { worker } = proc.inv.project;
  if (has(parsed.flags, 'traceback')) {
    const state = worker.state(taskId);
    return reply(0, state.state === 'FAILURE' ? `${workerTraceback(state.error).join('\n')}\n` : 'None\n');
  }
  const state = await worker.waitFor(taskId, proc.inv.call.signal);
  if (state.state === 'SUCCESS') return reply(0, `${pyRepr(state.value)}\n`);
  if (state.state === 'FAILURE') return reply(1, '', `${celeryResultTraceback(state.error).join('\n')}\n`);
  return reply(1, '', 'hunter-sim: result still pending\n');
}

function noSuchOption(cobraError: string): string {
  const option = /(--\S+)|'(\S)'/.exec(cobraError);
  const name = option?.[1] ?? (option?.[2] ? `-${option[2]}` : cobraError);
  return cobraError.startsWith('flag needs')
    ? `Option '${name}' requires an argument.`
    : `No such option: ${name}`;
}

/** Click's usage error: exit 2. */
function clickError(usage: string, command: string, message: string): CommandReply {
  return reply(2, '', `Usage: ${usage}\nTry '${command} --help' for help.\n\nError: ${message}\n`);
}
