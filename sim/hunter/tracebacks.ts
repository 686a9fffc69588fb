import { pyStr } from './python.ts';

/** A Python exception as Hunter would raise it: qualified type, message, and where it came from. */
export interface PyError {
  /** e.g. `httpx.ConnectError`. */
  readonly type: string;
  readonly message: string;
  /** Hunter's own frames, innermost last: [file, line, function, source]. */
  readonly frames: readonly (readonly [string, number, string, string])[];
}

const SITE = '/usr/local/lib/python3.11/site-packages';

const frame = (file: string, line: number, fn: string, source: string) =>
  [`  File "${file}", line ${line}, in ${fn}`, `    ${source}`] as const;

function shortType(error: PyError): string {
  return error.type.split('.').at(-1) ?? error.type;
}

/** `ConnectError('[Errno 111] Connection refused')`, as Celery's `safe_repr` shows it. */
export function pyErrorRepr(error: PyError): string {
  return `${shortType(error)}(${pyStr(error.message)})`;
}

/** The last line of a traceback. */
export function pyErrorLine(error: PyError): string {
  return error.message === '' ? error.type : `${error.type}: ${error.message}`;
}

/** What the worker logs after `raised unexpected:`. */
export function workerTraceback(error: PyError): string[] {
  return [
    'Traceback (most recent call last):',
    ...frame(`${SITE}/celery/app/trace.py`, 453, 'trace_task', 'R = retval = fun(*args, **kwargs)'),
    ...frame(`${SITE}/celery/app/trace.py`, 736, '__protected_call__', 'return self.run(*args, **kwargs)'),
    ...error.frames.flatMap(([file, line, fn, source]) => frame(file, line, fn, source)),
    pyErrorLine(error),
  ];
}

/** What `celery result <id>` prints on stderr when the task raised (AsyncResult.get() re-raises). */
export function celeryResultTraceback(error: PyError): string[] {
  return [
    'Traceback (most recent call last):',
    ...frame('/usr/local/bin/celery', 8, '<module>', 'sys.exit(main())'),
    ...frame(`${SITE}/celery/__main__.py`, 15, 'main', 'sys.exit(_main())'),
    ...frame(`${SITE}/celery/bin/celery.py`, 236, 'main', 'return celery(auto_envvar_prefix="CELERY")'),
    ...frame(`${SITE}/click/core.py`, 1157, '__call__', 'return self.main(*args, **kwargs)'),
    ...frame(
      `${SITE}/click/decorators.py`,
      33,
      'new_func',
      'return f(get_current_context(), *args, **kwargs)',
    ),
    ...frame(
      `${SITE}/celery/bin/result.py`,
      27,
      'result',
      'value = task_result.traceback if traceback else task_result.get()',
    ),
    ...frame(`${SITE}/celery/result.py`, 251, 'get', 'return self.backend.wait_for_pending('),
    ...frame(
      `${SITE}/celery/backends/base.py`,
      755,
      'wait_for_pending',
      'return result.maybe_throw(propagate=propagate, callback=callback)',
    ),
    ...frame(
      `${SITE}/celery/result.py`,
      365,
      'maybe_throw',
      'self.throw(value, self._to_remote_traceback(tb))',
    ),
    ...frame(`${SITE}/celery/result.py`, 358, 'throw', 'self.on_ready.throw(*args, **kwargs)'),
    ...frame(`${SITE}/vine/promises.py`, 235, 'throw', 'reraise(type(exc), exc, tb)'),
    ...frame(`${SITE}/vine/utils.py`, 27, 'reraise', 'raise value'),
    pyErrorLine(error),
  ];
}

export const AUTH_FAILED =
  'connection to server at "postgres" (172.18.0.2), port 5432 failed: FATAL:  password authentication failed for user "dyn365hunter"';

/** alembic failing to connect (the migration fault uses AUTH_FAILED as the cause). */
export function alembicConnectionTraceback(cause: string): string[] {
  return [
    'Traceback (most recent call last):',
    ...frame(
      `${SITE}/sqlalchemy/engine/base.py`,
      145,
      '__init__',
      'self._dbapi_connection = engine.raw_connection()',
    ),
    ...frame(`${SITE}/sqlalchemy/engine/base.py`, 3297, 'raw_connection', 'return self.pool.connect()'),
    ...frame(
      `${SITE}/psycopg2/__init__.py`,
      122,
      'connect',
      'conn = _connect(dsn, connection_factory=connection_factory, **kwasync)',
    ),
    `psycopg2.OperationalError: ${cause}`,
    '',
    '',
    'The above exception was the direct cause of the following exception:',
    '',
    'Traceback (most recent call last):',
    ...frame('/usr/local/bin/alembic', 8, '<module>', 'sys.exit(main())'),
    ...frame(`${SITE}/alembic/config.py`, 641, 'main', 'CommandLine(prog=prog).main(argv=argv)'),
    ...frame(`${SITE}/alembic/command.py`, 403, 'upgrade', 'script.run_env()'),
    ...frame('/app/alembic/env.py', 78, '<module>', 'run_migrations_online()'),
    ...frame('/app/alembic/env.py', 66, 'run_migrations_online', 'with connectable.connect() as connection:'),
    ...frame(
      `${SITE}/sqlalchemy/engine/default.py`,
      629,
      'connect',
      'return self.loaded_dbapi.connect(*cargs, **cparams)',
    ),
    `sqlalchemy.exc.OperationalError: (psycopg2.OperationalError) ${cause}`,
    '',
    '(Background on this error at: https://sqlalche.me/e/20/e3q8)',
  ];
}

/** What `uvicorn app.main:app` prints before it exits 1 when `app/main.py` does not compile. */
export function uvicornImportTraceback(): string[] {
  const importer = (file: string, line: number, fn: string) =>
    `  File "<frozen ${file}>", line ${line}, in ${fn}`;
  return [
    'Traceback (most recent call last):',
    ...frame('/usr/local/bin/uvicorn', 8, '<module>', 'sys.exit(main())'),
    ...frame(`${SITE}/click/core.py`, 1157, '__call__', 'return self.main(*args, **kwargs)'),
    ...frame(`${SITE}/uvicorn/main.py`, 416, 'main', 'run('),
    ...frame(`${SITE}/uvicorn/main.py`, 587, 'run', 'server.run()'),
    ...frame(`${SITE}/uvicorn/server.py`, 62, 'run', 'return asyncio.run(self.serve(sockets=sockets))'),
    ...frame(`${SITE}/uvicorn/server.py`, 69, 'serve', 'config.load()'),
    ...frame(`${SITE}/uvicorn/config.py`, 458, 'load', 'self.loaded_app = import_from_string(self.app)'),
    ...frame(
      `${SITE}/uvicorn/importer.py`,
      21,
      'import_from_string',
      'module = importlib.import_module(module_str)',
    ),
    ...frame(
      '/usr/local/lib/python3.11/importlib/__init__.py',
      126,
      'import_module',
      'return _bootstrap._gcd_import(name[level:], package, level)',
    ),
    importer('importlib._bootstrap', 1204, '_gcd_import'),
    importer('importlib._bootstrap', 1176, '_find_and_load'),
    importer('importlib._bootstrap', 1147, '_find_and_load_unlocked'),
    importer('importlib._bootstrap', 690, '_load_unlocked'),
    importer('importlib._bootstrap_external', 936, 'exec_module'),
    importer('importlib._bootstrap_external', 1074, 'get_code'),
    importer('importlib._bootstrap_external', 1004, 'source_to_code'),
    importer('importlib._bootstrap', 241, '_call_with_frames_removed'),
    '  File "/app/app/main.py", line 14',
    '    app = FastAPI(',
    '                 ^',
    "SyntaxError: '(' was never closed",
  ];
}
