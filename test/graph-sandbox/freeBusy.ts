// Free/busy arithmetic for the sandbox's getSchedule: Outlook's wall-clock dateTime + timeZone pairs,
// and the availabilityView string (one digit per interval) the scheduler reads to find a slot.

export type FreeBusyStatus = 'free' | 'tentative' | 'busy' | 'oof' | 'workingElsewhere';

export interface BusyInterval {
  startMs: number;
  endMs: number;
  status: FreeBusyStatus;
  subject?: string;
}

/** getSchedule's digits: 0 free, 1 tentative, 2 busy, 3 out of office, 4 working elsewhere. */
const STATUS_DIGIT: Record<FreeBusyStatus, string> = {
  free: '0',
  tentative: '1',
  busy: '2',
  oof: '3',
  workingElsewhere: '4',
};

/** When items overlap, the one that makes a person least available decides the interval. */
const STATUS_WEIGHT: Record<FreeBusyStatus, number> = {
  free: 0,
  workingElsewhere: 1,
  tentative: 2,
  busy: 3,
  oof: 4,
};

// Outlook speaks Windows zone names; the few a UK partnership's tenant and tests use are mapped to IANA
// so Intl can do the daylight-saving arithmetic. Any IANA name is accepted as well.
const WINDOWS_ZONES: Record<string, string> = {
  UTC: 'UTC',
  'Coordinated Universal Time': 'UTC',
  'GMT Standard Time': 'Europe/London',
  'Greenwich Standard Time': 'Atlantic/Reykjavik',
  'W. Europe Standard Time': 'Europe/Berlin',
  'Romance Standard Time': 'Europe/Paris',
  'Central Europe Standard Time': 'Europe/Budapest',
  'Eastern Standard Time': 'America/New_York',
  'Pacific Standard Time': 'America/Los_Angeles',
};

/** The IANA zone for an Outlook time zone name, or undefined when it is not one we know. */
export function ianaZone(timeZone: string): string | undefined {
  const mapped = WINDOWS_ZONES[timeZone];
  if (mapped) return mapped;
  try {
    new Intl.DateTimeFormat('en-GB', { timeZone });
    return timeZone;
  } catch {
    return undefined;
  }
}

function requireZone(timeZone: string): string {
  const zone = ianaZone(timeZone);
  if (!zone) throw new RangeError(`Time zone '${timeZone}' is not supported`);
  return zone;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function wallClockParts(ms: number, zone: string): Record<string, number> {
  let formatter = formatters.get(zone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-GB', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(zone, formatter);
  }
  const parts: Record<string, number> = {};
  for (const part of formatter.formatToParts(new Date(ms))) {
    if (part.type !== 'literal') parts[part.type] = Number(part.value);
  }
  return parts;
}

/** Milliseconds the zone's clock is ahead of UTC at instant `ms`. */
function zoneOffsetMs(ms: number, zone: string): number {
  const p = wallClockParts(ms, zone);
  const asUtc = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
  return asUtc - Math.floor(ms / 1000) * 1000;
}

const WALL_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?$/;

/**
 * The instant a dateTimeTimeZone names. A dateTime that carries its own offset ('Z', '+01:00') is
 * taken as written, as Outlook does.
 */
export function wallTimeToEpochMs(dateTime: string, timeZone: string): number {
  const zone = requireZone(timeZone);
  const match = WALL_TIME.exec(dateTime);
  if (!match) {
    const instant = Date.parse(dateTime);
    if (/(Z|[+-]\d{2}:\d{2})$/i.test(dateTime) && !Number.isNaN(instant)) return instant;
    throw new RangeError(`'${dateTime}' is not a valid dateTime`);
  }
  const [, year, month, day, hour, minute, second, fraction] = match;
  const millis = fraction ? Math.floor(Number(`0.${fraction}`) * 1000) : 0;
  const wall = Date.UTC(+year, +month - 1, +day, +hour, +minute, second ? +second : 0, millis);
  // Two passes settle the offset across a daylight-saving change.
  let guess = wall - zoneOffsetMs(wall, zone);
  guess = wall - zoneOffsetMs(guess, zone);
  return guess;
}

/** Outlook's rendering of an instant in a zone: '2026-09-01T10:00:00.0000000'. */
export function epochMsToWallTime(ms: number, timeZone: string): string {
  const zone = requireZone(timeZone);
  const p = wallClockParts(ms, zone);
  const pad = (value: number, width = 2): string => String(value).padStart(width, '0');
  return `${pad(p.year, 4)}-${pad(p.month)}-${pad(p.day)}T${pad(p.hour)}:${pad(p.minute)}:${pad(p.second)}.0000000`;
}

/** One digit per `intervalMinutes` slice of [windowStartMs, windowEndMs), as getSchedule returns. */
export function availabilityView(
  intervals: readonly BusyInterval[],
  windowStartMs: number,
  windowEndMs: number,
  intervalMinutes: number,
): string {
  const step = intervalMinutes * 60_000;
  let view = '';
  for (let sliceStart = windowStartMs; sliceStart < windowEndMs; sliceStart += step) {
    const sliceEnd = sliceStart + step;
    let status: FreeBusyStatus = 'free';
    for (const interval of intervals) {
      const overlaps = interval.startMs < sliceEnd && interval.endMs > sliceStart;
      if (overlaps && STATUS_WEIGHT[interval.status] > STATUS_WEIGHT[status]) status = interval.status;
    }
    view += STATUS_DIGIT[status];
  }
  return view;
}
