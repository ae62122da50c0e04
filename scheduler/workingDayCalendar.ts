/**
 * Working days for Rapid Review deadlines: weekends, bank holidays of the partnership's region and the
 * partnership's own closure days are not working days.
 *
 * Deadlines such as "15 working days from the SIN" are computed on every card render and by the
 * reminder sweep, and a reviewer can ask for a date years away, so nothing here walks day by day.
 * Weekdays are numbered consecutively ("weekday ordinals": 5 per 7 calendar days), the days off that
 * fall on weekdays are kept as a sorted array of those ordinals, and every question becomes arithmetic
 * plus a binary search.
 */
import Holidays from 'date-holidays-parser';

import { CivilDate, fromEpochDay, parseCivilDate, toEpochDay } from './civilDate';

// Only the United Kingdom's rules, taken from date-holidays' data (see the file's _source): the whole
// package holds every country's, about 20 MB in memory for the rules of one.
import gbBankHolidayRules from './gbBankHolidayRules.json';

export interface CalendarSettings {
  /** date-holidays region within GB: 'ENG' (default) or 'WLS' share the England and Wales bank holidays. */
  region: string;
  /** Extra days the partnership is closed, e.g. a council shutdown between Christmas and New Year. */
  closureDays: CivilDate[];
}

const COUNTRY = 'GB';
const DEFAULT_REGION = 'ENG';
// date-holidays also lists 'observance' days (Mother's Day, Easter Sunday) which are not days off.
const DAY_OFF_TYPES: ReadonlySet<string> = new Set(['public', 'bank']);
const CLOSURE_DAY_NAME = 'Partnership closure day';
// Bank holidays as we know them date from the Bank Holidays Act 1871 and the rules are only checked
// against recent years; the upper bound stops a runaway count (say n = 10^9) from loading holidays for
// millions of years instead of failing with a clear message.
const FIRST_SUPPORTED_YEAR = 1900;
const LAST_SUPPORTED_YEAR = 2199;
const FIRST_SUPPORTED_DAY = toEpochDay(`${FIRST_SUPPORTED_YEAR}-01-01`);
const LAST_SUPPORTED_DAY = toEpochDay(`${LAST_SUPPORTED_YEAR}-12-31`);

// 1970-01-05, the first Monday after the epoch: weekday ordinal 0.
const ORDINAL_ANCHOR_MONDAY = 4;

/** Number of weekdays (Mon-Fri) before epoch day `day`, counted from the anchor Monday (negative before it). */
function weekdaysBefore(day: number): number {
  const sinceAnchor = day - ORDINAL_ANCHOR_MONDAY;
  const weeks = Math.floor(sinceAnchor / 7);
  return weeks * 5 + Math.min(sinceAnchor - weeks * 7, 5);
}

/** Epoch day of the weekday with the given ordinal (inverse of weekdaysBefore on weekdays). */
function weekdayWithOrdinal(ordinal: number): number {
  const weeks = Math.floor(ordinal / 5);
  return ORDINAL_ANCHOR_MONDAY + weeks * 7 + (ordinal - weeks * 5);
}

function isWeekendDay(day: number): boolean {
  const sinceAnchor = day - ORDINAL_ANCHOR_MONDAY;
  return sinceAnchor - Math.floor(sinceAnchor / 7) * 7 >= 5;
}

/** Index of the first element of sorted `values` that is >= `target`. */
function lowerBound(values: readonly number[], target: number): number {
  let low = 0;
  let high = values.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (values[mid] < target) low = mid + 1;
    else high = mid;
  }
  return low;
}

function yearOf(day: number): number {
  return Number(fromEpochDay(day).slice(0, 4));
}

function describeDay(day: number): string {
  try {
    return fromEpochDay(day);
  } catch {
    return `a date beyond the year 9999`;
  }
}

function requireSupportedDay(day: number): void {
  if (day < FIRST_SUPPORTED_DAY || day > LAST_SUPPORTED_DAY) {
    throw new RangeError(
      `working-day calendar covers ${FIRST_SUPPORTED_YEAR}-01-01 to ${LAST_SUPPORTED_YEAR}-12-31 ` +
        `(got ${describeDay(day)})`,
    );
  }
}

function requireWholeNumber(n: number, what: string): void {
  if (!Number.isSafeInteger(n)) throw new RangeError(`${what} must be a whole number (got ${n})`);
}

interface BankHoliday {
  date: CivilDate;
  name: string;
}

/**
 * Bank holidays per region and year, shared by every calendar: date-holidays takes a few milliseconds
 * per year, and calendars that differ only in closure days need the same holidays.
 */
class BankHolidayYears {
  private static readonly byRegion = new Map<string, BankHolidayYears>();
  private readonly source: Holidays;
  private readonly years = new Map<number, readonly BankHoliday[]>();

  private constructor(region: string) {
    this.source = new Holidays(gbBankHolidayRules, COUNTRY, region, { languages: 'en' });
  }

  static forRegion(region: string): BankHolidayYears {
    let cached = BankHolidayYears.byRegion.get(region);
    if (!cached) {
      cached = new BankHolidayYears(region);
      BankHolidayYears.byRegion.set(region, cached);
    }
    return cached;
  }

  in(year: number): readonly BankHoliday[] {
    let holidays = this.years.get(year);
    if (!holidays) {
      holidays = this.source
        .getHolidays(year)
        .filter((holiday) => DAY_OFF_TYPES.has(holiday.type))
        // date-holidays gives 'YYYY-MM-DD 00:00:00' in the country's own time zone: the civil date is the prefix.
        .map((holiday) => ({
          date: parseCivilDate(holiday.date.slice(0, 10), 'holiday'),
          name: holiday.name,
        }));
      this.years.set(year, holidays);
    }
    return holidays;
  }
}

let knownRegions: ReadonlySet<string> | undefined;

function normaliseRegion(region: string | undefined): string {
  const wanted = (region ?? DEFAULT_REGION).trim().toUpperCase();
  knownRegions ??= new Set(Object.keys(new Holidays(gbBankHolidayRules).getStates(COUNTRY) ?? {}));
  // date-holidays silently falls back to the UK-wide list (no English summer bank holiday) for a region
  // it does not know, so a typo in a profile must fail loudly instead.
  if (!knownRegions.has(wanted)) {
    throw new Error(
      `region: must be one of ${[...knownRegions].sort().join(', ')} (got '${String(region).slice(0, 40)}')`,
    );
  }
  return wanted;
}

function normaliseClosureDays(closureDays: readonly CivilDate[] | undefined): CivilDate[] {
  const parsed = (closureDays ?? []).map((day) => parseCivilDate(day, 'closureDays'));
  return [...new Set(parsed)].sort();
}

function cacheKey(region: string, closureDays: readonly CivilDate[]): string {
  return `${region}|${closureDays.join(',')}`;
}

export class WorkingDayCalendar {
  readonly region: string;
  readonly closureDays: readonly CivilDate[];

  private readonly bankHolidays: BankHolidayYears;
  private readonly closuresByYear = new Map<number, CivilDate[]>();
  /** Per year: sorted weekday ordinals of the days off that fall on a weekday. */
  private readonly weekdaysOffByYear = new Map<number, readonly number[]>();
  /** Weekday days off for every year from firstLoadedYear to lastLoadedYear, sorted, for counting. */
  private weekdaysOff: number[] = [];
  private loaded = false;
  private firstLoadedYear = 0;
  private lastLoadedYear = 0;
  private firstLoadedDay = 0;
  private lastLoadedDay = 0;

  constructor(settings: Partial<CalendarSettings> = {}) {
    this.region = normaliseRegion(settings.region);
    this.closureDays = Object.freeze(normaliseClosureDays(settings.closureDays));
    this.bankHolidays = BankHolidayYears.forRegion(this.region);
    for (const day of this.closureDays) {
      const year = Number(day.slice(0, 4));
      const list = this.closuresByYear.get(year) ?? [];
      list.push(day);
      this.closuresByYear.set(year, list);
    }
  }

  isWorkingDay(d: CivilDate): boolean {
    const day = toEpochDay(d);
    requireSupportedDay(day);
    if (isWeekendDay(day)) return false;
    const daysOff = this.weekdaysOffIn(yearOf(day));
    const ordinal = weekdaysBefore(day);
    return daysOff[lowerBound(daysOff, ordinal)] !== ordinal;
  }

  /**
   * The n-th working day after `d` (`d` itself is day 0, so n = 0 returns `d` even on a holiday);
   * negative n gives the |n|-th working day before `d`.
   */
  addWorkingDays(d: CivilDate, n: number): CivilDate {
    requireWholeNumber(n, 'number of working days');
    const start = toEpochDay(d);
    requireSupportedDay(start);
    if (n === 0) return d;
    // Days off only push the answer further out, so counting weekdays alone gives its nearest
    // possible place: if that is already off the calendar, say so before loading any holidays.
    const weekdaysOnly =
      n > 0
        ? weekdayWithOrdinal(weekdaysBefore(start + 1) + n - 1)
        : weekdayWithOrdinal(weekdaysBefore(start) + n);
    requireSupportedDay(weekdaysOnly);
    // Pre-load the span the answer probably lies in (about 10 weekdays off a year, i.e. 1 in 25), then
    // widen it if the answer still landed outside; each widening only moves the answer further out.
    const margin = Math.ceil(Math.abs(n) / 15) + 14;
    let reach = n > 0 ? weekdaysOnly + margin : weekdaysOnly - margin;
    reach = Math.min(Math.max(reach, FIRST_SUPPORTED_DAY), LAST_SUPPORTED_DAY);
    for (;;) {
      this.loadDays(Math.min(start, reach), Math.max(start, reach));
      const answer = n > 0 ? this.forwardFrom(start, n) : this.backwardFrom(start, -n);
      if (answer >= this.firstLoadedDay && answer <= this.lastLoadedDay) return fromEpochDay(answer);
      requireSupportedDay(answer);
      reach = answer;
    }
  }

  /**
   * Working days after `from` up to and including `to`. When `to` is before `from` the result is
   * minus the working days from `to` (included) up to `from` (excluded), the mirror image that keeps
   * workingDaysBetween(d, addWorkingDays(d, n)) === n for every n, negative ones included.
   */
  workingDaysBetween(from: CivilDate, to: CivilDate): number {
    const fromDay = toEpochDay(from);
    const toDay = toEpochDay(to);
    requireSupportedDay(fromDay);
    requireSupportedDay(toDay);
    if (toDay >= fromDay) return this.workingDaysInRange(fromDay + 1, toDay + 1);
    // 0 - x rather than -x: an empty span must give 0, not -0.
    return 0 - this.workingDaysInRange(toDay, fromDay);
  }

  /** The first working day strictly after `d`. */
  nextWorkingDay(d: CivilDate): CivilDate {
    return this.addWorkingDays(d, 1);
  }

  /** Bank holidays (including those on a weekend) and the partnership's closure days in `year`, by date. */
  holidaysIn(year: number): { date: CivilDate; name: string }[] {
    requireWholeNumber(year, 'year');
    if (year < FIRST_SUPPORTED_YEAR || year > LAST_SUPPORTED_YEAR) {
      throw new RangeError(
        `year: working-day calendar covers ${FIRST_SUPPORTED_YEAR} to ${LAST_SUPPORTED_YEAR} (got ${year})`,
      );
    }
    const holidays = this.bankHolidays.in(year).map((holiday) => ({ ...holiday }));
    const holidayDates = new Set(holidays.map((holiday) => holiday.date));
    for (const date of this.closuresByYear.get(year) ?? []) {
      if (!holidayDates.has(date)) holidays.push({ date, name: CLOSURE_DAY_NAME });
    }
    return holidays.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
  }

  private weekdaysOffIn(year: number): readonly number[] {
    let ordinals = this.weekdaysOffByYear.get(year);
    if (!ordinals) {
      const days = [
        ...this.bankHolidays.in(year).map((holiday) => toEpochDay(holiday.date)),
        ...(this.closuresByYear.get(year) ?? []).map(toEpochDay),
      ].filter((day) => !isWeekendDay(day));
      ordinals = [...new Set(days.map(weekdaysBefore))].sort((a, b) => a - b);
      this.weekdaysOffByYear.set(year, ordinals);
    }
    return ordinals;
  }

  /** Makes `weekdaysOff` hold every weekday off in the years covering epoch days first..last. */
  private loadDays(first: number, last: number): void {
    if (this.loaded && first >= this.firstLoadedDay && last <= this.lastLoadedDay) return;
    requireSupportedDay(first);
    requireSupportedDay(last);
    const firstYear = this.loaded ? Math.min(yearOf(first), this.firstLoadedYear) : yearOf(first);
    const lastYear = this.loaded ? Math.max(yearOf(last), this.lastLoadedYear) : yearOf(last);
    const merged: number[] = [];
    // Years are disjoint and each year's list is sorted, so concatenating in year order stays sorted.
    for (let year = firstYear; year <= lastYear; year++) merged.push(...this.weekdaysOffIn(year));
    this.weekdaysOff = merged;
    this.firstLoadedYear = firstYear;
    this.lastLoadedYear = lastYear;
    this.firstLoadedDay = toEpochDay(`${String(firstYear).padStart(4, '0')}-01-01`);
    this.lastLoadedDay = toEpochDay(`${String(lastYear).padStart(4, '0')}-12-31`);
    this.loaded = true;
  }

  /** Working days among epoch days [first, end). */
  private workingDaysInRange(first: number, end: number): number {
    if (end <= first) return 0;
    this.loadDays(first, end - 1);
    const firstOrdinal = weekdaysBefore(first);
    const endOrdinal = weekdaysBefore(end);
    const daysOff = lowerBound(this.weekdaysOff, endOrdinal) - lowerBound(this.weekdaysOff, firstOrdinal);
    return endOrdinal - firstOrdinal - daysOff;
  }

  /**
   * Epoch day of the n-th (n >= 1) working day after `start`, judged with the days off loaded so far.
   * Counting from the first weekday after `start`, the day off at offset i past it lies before the
   * answer exactly when fewer than n working days precede it (its distance minus i). That test is
   * monotone in i, so a binary search finds how many days off to step over.
   */
  private forwardFrom(start: number, n: number): number {
    const daysOff = this.weekdaysOff;
    const firstOrdinal = weekdaysBefore(start + 1);
    const base = lowerBound(daysOff, firstOrdinal);
    let low = 0;
    let high = daysOff.length - base;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (daysOff[base + mid] - firstOrdinal - mid < n) low = mid + 1;
      else high = mid;
    }
    return weekdayWithOrdinal(firstOrdinal + n - 1 + low);
  }

  /** Mirror image of forwardFrom: the n-th (n >= 1) working day before `start`. */
  private backwardFrom(start: number, n: number): number {
    const daysOff = this.weekdaysOff;
    const lastOrdinal = weekdaysBefore(start) - 1;
    const top = lowerBound(daysOff, lastOrdinal + 1) - 1;
    let low = 0;
    let high = top + 1;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (lastOrdinal - daysOff[top - mid] - mid < n) low = mid + 1;
      else high = mid;
    }
    return weekdayWithOrdinal(lastOrdinal - (n - 1) - low);
  }
}

const calendars = new Map<string, WorkingDayCalendar>();

/** One shared calendar per (region, closure days), so its holiday caches are built once per profile. */
export function calendarFor(settings: Partial<CalendarSettings> = {}): WorkingDayCalendar {
  const key = cacheKey(normaliseRegion(settings.region), normaliseClosureDays(settings.closureDays));
  let calendar = calendars.get(key);
  if (!calendar) {
    calendar = new WorkingDayCalendar(settings);
    calendars.set(key, calendar);
  }
  return calendar;
}
