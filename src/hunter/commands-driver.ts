import type { CommandsDriverConfig } from '../config/schema.ts';
import type { TargetAction } from './port.ts';

/**
 * The `commands` driver: the operator wrote one argv per action (systemd, kubectl, ssh…).
 * Placeholders are replaced inside single argv items, so a value can never become a new
 * argument or reach a shell.
 */
export function commandsArgv(config: CommandsDriverConfig, action: TargetAction): string[] {
  // The staging actions are optional: an operator without them gets an empty argv, refused in create.ts.
  const template = config.commands[action.kind] ?? [];
  const values: Record<string, string> = {};
  if (action.kind === 'celeryResult') values['{taskId}'] = action.taskId;
  if (action.kind === 'logs') values['{since}'] = action.since.toISOString();
  return template.map((item) =>
    item.replace(/\{[A-Za-z]+\}/g, (placeholder) => values[placeholder] ?? placeholder),
  );
}
