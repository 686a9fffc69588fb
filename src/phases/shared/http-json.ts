import { z } from 'zod';
import type { HttpResult } from '../../hunter/port.ts';
import { type Translate, translator } from '../../i18n/index.ts';
import { clip } from '../../util/truncate.ts';

/** An HTTP answer as a person would describe it: "HTTP 400 {"detail":…}". */
export function describeResponse(res: HttpResult, t: Translate = translator('en')): string {
  if (!res.ok) return t('checks.health.noAnswer', { message: res.message });
  const body = res.body.trim() === '' ? t('checks.health.emptyBody') : clip(res.body.trim(), 300);
  return `HTTP ${res.status} ${body}`;
}

export function parseJson(text: string): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false };
  }
}

const FastApiDetail = z.object({ detail: z.string() });

/** FastAPI's HTTPException body is `{"detail": "…"}`; a bare JSON string is accepted too. */
export function errorMessageOf(body: string): string | undefined {
  const parsed = parseJson(body);
  if (!parsed.ok) return undefined;
  if (typeof parsed.value === 'string') return parsed.value;
  const detail = FastApiDetail.safeParse(parsed.value);
  return detail.success ? detail.data.detail : undefined;
}
