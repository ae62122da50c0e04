/**
 * Civil (calendar) dates as the partnership sees them in Europe/London.
 *
 * A Rapid Review deadline is a day, not an instant: "within 5 working days of 3 March" means a date on
 * the wall calendar. Holding days as 'YYYY-MM-DD' strings and doing arithmetic on whole epoch days
 * (days since 1970-01-01, pure integer maths, no Date in local time) means a deadline can never move
 * by a day when the clocks change or when the server runs in another time zone.
 */

/** A calendar date written 'YYYY-MM-DD' (ISO 8601, proleptic Gregorian, years 0000-9999). */
export type CivilDate = string;

const DAYS_PER_400_YEARS = 146097;
// Days from 0000-03-01 to 1970-01-01 in the era-based algorithm below.
const EPOCH_SHIFT = 719468;
// Epoch days of 0000-01-01 and 9999-12-31: the range a four-digit year can be written in.
const MIN_EPOCH_DAY = -719528;
const MAX_EPOCH_DAY = 2932896;

const SHORT_WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const LONG_WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const SHORT_MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
/** English month names, January first (also used by the browser tests to drive date pickers). */
export const LONG_MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

interface CivilParts {
  year: number;
  month: number;
  day: number;
}

const DIGIT_0 = 48;
const DASH = 45;

/** The number written by the digits text[from..to), or -1 if any of them is not a digit. */
function digitsAt(text: string, from: number, to: number): number {
  let value = 0;
  for (let i = from; i < to; i++) {
    const digit = text.charCodeAt(i) - DIGIT_0;
    if (digit < 0 || digit > 9) return -1;
    value = value * 10 + digit;
  }
  return value;
}

function splitCivilDate(text: unknown): CivilParts | undefined {
  // Character by character rather than with a regular expression: every timeline, status card and alert
  // goes through here many times, and the regular expression was a measurable part of an alert tick.
  if (typeof text !== 'string' || text.length !== 10) return undefined;
  if (text.charCodeAt(4) !== DASH || text.charCodeAt(7) !== DASH) return undefined;
  const year = digitsAt(text, 0, 4);
  const month = digitsAt(text, 5, 7);
  const day = digitsAt(text, 8, 10);
  if (year < 0 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return undefined;
  return { year, month, day };
}

function describeInput(text: unknown): string {
  if (typeof text !== 'string') return String(text);
  // A pasted paragraph must not turn into a paragraph-long error message.
  return text.length > 40 ? `'${text.slice(0, 40)}…'` : `'${text}'`;
}

function civilDateError(text: unknown, field: string): Error {
  return new Error(`${field}: must be a date as YYYY-MM-DD (got ${describeInput(text)})`);
}

/**
 * Checks that `text` is a real calendar date written YYYY-MM-DD and returns it.
 * Throws an Error naming `field` and the rule, so a user sees which answer to correct.
 */
export function parseCivilDate(text: string, field = 'date'): CivilDate {
  if (!splitCivilDate(text)) throw civilDateError(text, field);
  return text;
}

export function isCivilDate(text: unknown): text is CivilDate {
  return splitCivilDate(text) !== undefined;
}

function partsOrThrow(d: CivilDate): CivilParts {
  const parts = splitCivilDate(d);
  if (!parts) throw civilDateError(d, 'date');
  return parts;
}

/** Days since 1970-01-01 (negative before), computed with integer maths only (H. Hinnant's days_from_civil). */
export function toEpochDay(d: CivilDate): number {
  const { year, month, day } = partsOrThrow(d);
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * DAYS_PER_400_YEARS + dayOfEra - EPOCH_SHIFT;
}

function pad(value: number, width: number): string {
  return String(value).padStart(width, '0');
}

/** The civil date `n` days after 1970-01-01 (inverse of toEpochDay). */
export function fromEpochDay(n: number): CivilDate {
  if (!Number.isInteger(n) || n < MIN_EPOCH_DAY || n > MAX_EPOCH_DAY) {
    throw new RangeError(`epoch day must be a whole number for a year 0000-9999 (got ${n})`);
  }
  const z = n + EPOCH_SHIFT;
  const era = Math.floor(z / DAYS_PER_400_YEARS);
  const dayOfEra = z - era * DAYS_PER_400_YEARS;
  const yearOfEra = Math.floor(
    (dayOfEra - Math.floor(dayOfEra / 1460) + Math.floor(dayOfEra / 36524) - Math.floor(dayOfEra / 146096)) /
      365,
  );
  const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const mp = Math.floor((5 * dayOfYear + 2) / 153);
  const day = dayOfYear - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  const year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);
  return `${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)}`;
}

export function addCalendarDays(d: CivilDate, n: number): CivilDate {
  if (!Number.isInteger(n)) throw new RangeError(`number of days must be a whole number (got ${n})`);
  return fromEpochDay(toEpochDay(d) + n);
}

/** 0 = Sunday … 6 = Saturday, like Date#getDay but without any time zone. */
export function dayOfWeek(d: CivilDate): number {
  // 1970-01-01 was a Thursday (4).
  return (((toEpochDay(d) + 4) % 7) + 7) % 7;
}

// Built once: constructing Intl formatters is far slower than using them.
const londonDateFormat = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/London',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});
const londonHourFormat = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/London',
  hour: '2-digit',
  hourCycle: 'h23',
});

function requireValidInstant(instant: Date): void {
  if (!(instant instanceof Date) || Number.isNaN(instant.getTime())) {
    throw new RangeError('instant must be a valid Date');
  }
}

interface LondonWallClock {
  date: CivilDate;
  hour: number;
}

function formatInLondon(instant: Date): LondonWallClock {
  let year = '';
  let month = '';
  let day = '';
  for (const part of londonDateFormat.formatToParts(instant)) {
    if (part.type === 'year') year = part.value;
    else if (part.type === 'month') month = part.value;
    else if (part.type === 'day') day = part.value;
  }
  const hour = londonHourFormat.formatToParts(instant).find((part) => part.type === 'hour');
  return {
    date: parseCivilDate(`${year.padStart(4, '0')}-${month}-${day}`, 'instant'),
    hour: Number(hour?.value) % 24,
  };
}

const msPerHour = 3_600_000;
/**
 * From 1 December 1847 (railway time) London's offset from UTC has always been a whole number of
 * hours, and it has only ever changed on the hour, so every instant of one UTC hour has the same
 * date and hour on a London clock. Earlier instants (local mean time, -0:01:15) are not cached.
 */
const wholeHourOffsetsSince = Date.UTC(1847, 11, 1);
/** Bounds the cache: over a year of distinct hours before it starts again. */
const maxCachedHours = 10_000;
/** London's date and hour for each UTC hour asked about: Intl formatting costs microseconds a call. */
const londonByUtcHour = new Map<number, LondonWallClock>();

function londonWallClock(instant: Date): LondonWallClock {
  requireValidInstant(instant);
  const ms = instant.getTime();
  if (ms < wholeHourOffsetsSince) return formatInLondon(instant);
  const utcHour = Math.floor(ms / msPerHour);
  let known = londonByUtcHour.get(utcHour);
  if (known === undefined) {
    known = formatInLondon(new Date(utcHour * msPerHour));
    if (londonByUtcHour.size >= maxCachedHours) londonByUtcHour.clear();
    londonByUtcHour.set(utcHour, known);
  }
  return known;
}

const londonMinuteFormat = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', minute: '2-digit' });

/** Date, hour and minute on a London clock at `instant`, and the time as a clock shows it ('09:05'). */
export interface LondonClockTime extends LondonWallClock {
  minute: number;
  time: string;
}

/**
 * What a London clock shows at `instant`: since 1847 its offset is whole hours, so the minute is
 * UTC's and the date and hour come from the per-hour cache; earlier instants ask Intl.
 */
export function londonClockTime(instant: Date): LondonClockTime {
  const { date, hour } = londonWallClock(instant);
  const ms = instant.getTime();
  const minute =
    ms >= wholeHourOffsetsSince
      ? ((Math.floor(ms / 60_000) % 60) + 60) % 60
      : Number(londonMinuteFormat.formatToParts(instant).find((part) => part.type === 'minute')?.value);
  return { date, hour, minute, time: `${pad(hour, 2)}:${pad(minute, 2)}` };
}

/** The date on a wall calendar in London at `instant` (so 23:30 UTC in summer is already tomorrow). */
export function civilDateInLondon(instant: Date): CivilDate {
  return londonWallClock(instant).date;
}

/** The hour (0-23) on a London clock at `instant`, e.g. to decide whether a reminder goes out today. */
export function londonHour(instant: Date): number {
  return londonWallClock(instant).hour;
}

/** 'Thu 7 Jan': for card text where the year is obvious from context. */
export function formatShortDate(d: CivilDate): string {
  const { month, day } = partsOrThrow(d);
  return `${SHORT_WEEKDAYS[dayOfWeek(d)]} ${day} ${SHORT_MONTHS[month - 1]}`;
}

/** 'Thursday 7 January 2027': for reports and anything read out of context. */
export function formatLongDate(d: CivilDate): string {
  const { year, month, day } = partsOrThrow(d);
  return `${LONG_WEEKDAYS[dayOfWeek(d)]} ${day} ${LONG_MONTHS[month - 1]} ${year}`;
}
