import { DEFAULT_SCOPE, FLAG_VAR, parseBoolSetting } from './env-file.ts';
import { pyStr } from './python.ts';

/** Hunter's `Settings` (pydantic, prefix HUNTER_), as a process reads them when it starts. */
export interface HunterSettings {
  readonly enabled: boolean;
  readonly clientId: string;
  readonly tenantId: string;
  readonly apiUrl: string;
  readonly scope: string;
}

export type SettingsLoad = { ok: true; settings: HunterSettings } | { ok: false; traceback: string[] };

export function loadSettings(env: Readonly<Record<string, string>>): SettingsLoad {
  const flag = parseBoolSetting(env[FLAG_VAR]);
  if (!flag.ok) return { ok: false, traceback: validationError(flag.input) };
  return {
    ok: true,
    settings: {
      enabled: flag.value,
      clientId: env.HUNTER_PARTNER_CENTER_CLIENT_ID ?? '',
      tenantId: env.HUNTER_PARTNER_CENTER_TENANT_ID ?? '',
      apiUrl: env.HUNTER_PARTNER_CENTER_API_URL ?? '',
      scope: env.HUNTER_PARTNER_CENTER_SCOPE || DEFAULT_SCOPE,
    },
  };
}

/** What the process prints before it exits when the flag is not a boolean. */
function validationError(input: string): string[] {
  return [
    'Traceback (most recent call last):',
    '  File "/app/app/core/config.py", line 71, in <module>',
    '    settings = Settings()',
    '               ^^^^^^^^^^',
    'pydantic_core._pydantic_core.ValidationError: 1 validation error for Settings',
    'partner_center_enabled',
    `  Input should be a valid boolean, unable to interpret input [type=bool_parsing, input_value=${pyStr(input)}, input_type=str]`,
    '    For further information visit https://errors.pydantic.dev/2.5/v/bool_parsing',
  ];
}
