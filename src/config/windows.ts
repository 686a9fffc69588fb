import { DateTime } from 'luxon';
import { z } from 'zod';

/** Weekdays as a window names them; the index is luxon's ISO weekday (Monday = 1). */
export const WEEKDAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/**
 * A change window: prod's Phase 3 may start on `days` between `from` and `to` (minutes after
 * local midnight, `to` exclusive) in the IANA zone `zone`. `to <= from` runs past midnight.
 */
export interface ChangeWindow {
  /** As written in the file, for people and logs. */
  readonly text: string;
  /** ISO weekdays (1 = Monday … 7 = Sunday) the window opens on. */
  readonly days: readonly number[];
  readonly from: number;
  readonly to: number;
  readonly zone: string;
}

/** A freeze: no Phase 3 from `from` to `to` (exclusive), whatever the windows say. */
export interface Freeze {
  readonly from: Date;
  readonly to: Date;
  readonly reason: string;
  /** The zone its dates were read in, and are shown in. */
  readonly zone: string;
}

/** Whether Intl knows the zone (the same Intl that formats and computes the times later). */
export function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return zone.length > 0;
  } catch {
    return false;
  }
}

const WINDOW_SHAPE =
  'expected "<Day>[-<Day>] HH:MM-HH:MM <IANA zone>", e.g. "Mon-Thu 09:00-16:00 Europe/Istanbul"';

function dayOf(word: string): number | undefined {
  const i = WEEKDAYS.findIndex((d) => d.toLowerCase() === word.toLowerCase());
  return i < 0 ? undefined : i + 1;
}

function daysOf(text: string): number[] | string {
  const [first, last, more] = text.split('-');
  const a = first === undefined ? undefined : dayOf(first);
  const b = last === undefined ? a : dayOf(last);
  if (more !== undefined || a === undefined || b === undefined)
    return `"${text}" is not a weekday or a range of them (${WEEKDAYS.join(', ')}, e.g. Mon-Fri)`;
  const days: number[] = [];
  // Fri-Mon wraps over the weekend.
  for (let d = a; ; d = (d % 7) + 1) {
    days.push(d);
    if (d === b) return days;
  }
}

function minuteOf(text: string): number | undefined {
  const m = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(text);
  return m ? Number(m[1]) * 60 + Number(m[2]) : text === '24:00' ? 1440 : undefined;
}

/** A window from its compact form, or what is wrong with it. */
export function parseWindow(text: string): ChangeWindow | string {
  const parts = text.trim().split(/\s+/);
  if (parts.length !== 3) return `"${text}": ${WINDOW_SHAPE}`;
  const [dayText = '', timeText = '', zone = ''] = parts;
  const days = daysOf(dayText);
  if (typeof days === 'string') return `"${text}": ${days}`;
  const [fromText = '', toText = '', extra] = timeText.split('-');
  const from = minuteOf(fromText);
  const to = minuteOf(toText);
  if (extra !== undefined || from === undefined || to === undefined || from === 1440)
    return `"${text}": "${timeText}" is not a time range HH:MM-HH:MM (24-hour clock, e.g. 09:00-16:00)`;
  if (from === to) return `"${text}": the window opens and closes at the same time (${timeText})`;
  if (!isTimeZone(zone))
    return `"${text}": "${zone}" is not an IANA time zone this Node knows (e.g. Europe/Istanbul, UTC)`;
  return { text: text.trim(), days, from, to, zone };
}

export const ChangeWindowSchema = z.string().transform((text, ctx): ChangeWindow => {
  const parsed = parseWindow(text);
  if (typeof parsed === 'string') {
    ctx.addIssue({ code: 'custom', message: parsed });
    return z.NEVER;
  }
  return parsed;
});

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
const DATE_TIME = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$/;

/** YAML may hand a date over as a Date (unquoted) or a string: both are kept as written text. */
const WhenSchema = z.union([z.string(), z.date()]).transform((v, ctx) => {
  const text = v instanceof Date ? v.toISOString() : v.trim();
  if (DATE_ONLY.test(text) || DATE_TIME.test(text)) return text;
  ctx.addIssue({
    code: 'custom',
    message: `"${text}" is not a date (YYYY-MM-DD) or a date and time (YYYY-MM-DDTHH:MM, optionally with Z or an offset)`,
  });
  return z.NEVER;
});

/** A freeze as the file writes it; `zone` reads dates and times without an offset (default UTC). */
export const FreezeFileSchema = z.strictObject({
  from: WhenSchema,
  to: WhenSchema,
  reason: z.string().trim().min(1, 'say why there is a freeze: people read it'),
  zone: z
    .string()
    .superRefine((zone, ctx) => {
      if (!isTimeZone(zone))
        ctx.addIssue({
          code: 'custom',
          message: `"${zone}" is not an IANA time zone this Node knows (e.g. Europe/Istanbul, UTC)`,
        });
    })
    .optional(),
});

function instant(text: string, zone: string, endOfDay: boolean): Date {
  const at = DateTime.fromISO(text.replace(' ', 'T'), { zone, setZone: true });
  // A date alone names the whole day: a freeze `to: 2026-12-31` lasts until that day is over.
  return (DATE_ONLY.test(text) && endOfDay ? at.plus({ days: 1 }) : at).toJSDate();
}

/** A freeze with its instants; `to` must come after `from`. */
export const FreezeSchema = FreezeFileSchema.transform((file, ctx): Freeze => {
  const zone = file.zone ?? 'UTC';
  const from = instant(file.from, zone, false);
  const to = instant(file.to, zone, true);
  if (Number.isNaN(from.getTime()) || Number.isNaN(to.getTime()) || to <= from) {
    ctx.addIssue({
      code: 'custom',
      message: `the freeze "${file.reason}" must end after it starts (from ${file.from} to ${file.to}${file.zone ? ` in ${file.zone}` : ' UTC'})`,
    });
    return z.NEVER;
  }
  return { from, to, reason: file.reason, zone };
});
