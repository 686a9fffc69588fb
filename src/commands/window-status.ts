import type { EnvironmentConfig } from '../config/config.ts';
import { currentOrNextFreeze, displayZone, hasWindowRules, windowState } from '../gates/change-window.ts';
import { type Language, translator } from '../i18n/index.ts';

/** A freeze's reason is the config's text: shown as text in Slack, never as a mention or link. */
function asText(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
}

/**
 * The change window and any freeze of an environment, for `status` and App Home
 * (docs/architecture.md#change-windows); undefined when it has neither (always open).
 */
export function windowStatus(
  env: EnvironmentConfig,
  now: Date,
  language: Language = 'en',
): string | undefined {
  const policy = env.policy;
  if (!hasWindowRules(policy)) return undefined;
  const zone = displayZone(policy);
  const t = translator(language, zone);
  const state = windowState(policy, now);
  const parts: string[] = [];
  if (state.open) parts.push(t('window.status_open'));
  else if (state.opensAt) parts.push(t('window.status_closed', { when: state.opensAt, zone }));
  else parts.push(t('window.status_never'));
  const freeze = currentOrNextFreeze(policy, now);
  if (freeze) {
    const fields = { from: freeze.from, until: freeze.to, zone, reason: asText(freeze.reason) };
    parts.push(t(freeze.from <= now ? 'window.status_freeze' : 'window.status_next_freeze', fields));
  }
  return parts.join(' · ');
}
