import type { Config } from '../config/config.ts';
import { renderCoded } from '../i18n/index.ts';
import type { Reply } from './context.ts';
import { wordsFor } from './language.ts';

const LINES = ['intro', 'start', 'status', 'history', 'cancel', 'off', 'plan', 'login', 'help'] as const;

/** `/pc-verify help`, and the answer to anything the parser does not understand. */
export function showHelp(config: Config, problem?: string): Reply {
  const t = wordsFor({ config });
  const envs = [...config.environments.keys()].map((e) => `\`${e}\``).join(', ');
  return {
    text: [
      ...(problem ? [renderCoded(t, problem), ''] : []),
      ...LINES.map((line) => t(`commands.help.${line}`)),
      t('commands.help.environments', { envs }),
    ].join('\n'),
    outcome: problem ? 'refused' : 'answered',
  };
}
