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

const CIVIL_DATE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;
const DAYS_PER_400_YEARS = 146097;
// Days from 0000-03-01 to 1970-01-01 in the era-based algorithm below.
const EPOCH_SHIFT = 719468;
// Epoch days of 0000-01-01 and 9999-12-31: the range a four-digit year can be written in.
const MIN_EPOCH_DAY = -719528;
const MAX_EPOCH_DAY = 2932896;

const SHORT_WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const LONG_WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const SHORT_MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const LONG_MONTHS = [
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

function splitCivilDate(text: unknown): CivilParts | undefined {
  if (typeof text !== 'string') return undefined;
  const match = CIVIL_DATE_PATTERN.exec(text);
  if (!match) return undefined;
  const year = Number(match[1]);
  const month = Number(match[2]);
  const day = Number(match[3]);
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return undefined;
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

/** The date on a wall calendar in London at `instant` (so 23:30 UTC in summer is already tomorrow). */
export function civilDateInLondon(instant: Date): CivilDate {
  requireValidInstant(instant);
  let year = '';
  let month = '';
  let day = '';
  for (const part of londonDateFormat.formatToParts(instant)) {
    if (part.type === 'year') year = part.value;
    else if (part.type === 'month') month = part.value;
    else if (part.type === 'day') day = part.value;
  }
  return parseCivilDate(`${year.padStart(4, '0')}-${month}-${day}`, 'instant');
}

/** The hour (0-23) on a London clock at `instant`, e.g. to decide whether a reminder goes out today. */
export function londonHour(instant: Date): number {
  requireValidInstant(instant);
  const hour = londonHourFormat.formatToParts(instant).find((part) => part.type === 'hour');
  return Number(hour?.value) % 24;
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
