import Holidays from 'date-holidays';
import fc from 'fast-check';

import { calendarFor, WorkingDayCalendar } from './workingDayCalendar';

const MS_PER_DAY = 86_400_000;

function dateOf(day: number): string {
  return new Date(day * MS_PER_DAY).toISOString().slice(0, 10);
}

function dayOf(date: string): number {
  return Date.parse(`${date}T00:00:00Z`) / MS_PER_DAY;
}

/**
 * The obvious, slow answer: walk one day at a time, asking date-holidays directly. The fast calendar
 * must agree with it everywhere.
 */
class DayByDayReference {
  // date-holidays is slow per year, so bank holidays are looked up once per region for all references.
  private static readonly bankHolidaysByRegion = new Map<string, Map<number, Set<string>>>();
  private readonly bankHolidayYears: Map<number, Set<string>>;
  private readonly source: Holidays;

  constructor(
    region: string,
    private readonly closureDays: readonly string[] = [],
  ) {
    this.source = new Holidays('GB', region);
    const years = DayByDayReference.bankHolidaysByRegion.get(region) ?? new Map<number, Set<string>>();
    DayByDayReference.bankHolidaysByRegion.set(region, years);
    this.bankHolidayYears = years;
  }

  isWorkingDay(day: number): boolean {
    const date = new Date(day * MS_PER_DAY);
    const weekday = date.getUTCDay();
    if (weekday === 0 || weekday === 6) return false;
    const year = date.getUTCFullYear();
    let bankHolidays = this.bankHolidayYears.get(year);
    if (!bankHolidays) {
      bankHolidays = new Set(
        this.source
          .getHolidays(year)
          .filter((holiday) => holiday.type === 'public' || holiday.type === 'bank')
          .map((holiday) => holiday.date.slice(0, 10)),
      );
      this.bankHolidayYears.set(year, bankHolidays);
    }
    const text = dateOf(day);
    return !bankHolidays.has(text) && !this.closureDays.includes(text);
  }

  addWorkingDays(date: string, n: number): string {
    let day = dayOf(date);
    const step = Math.sign(n);
    for (let remaining = Math.abs(n); remaining > 0;) {
      day += step;
      if (this.isWorkingDay(day)) remaining--;
    }
    return dateOf(day);
  }

  workingDaysBetween(from: string, to: string): number {
    const fromDay = dayOf(from);
    const toDay = dayOf(to);
    let count = 0;
    if (toDay >= fromDay) {
      for (let day = fromDay + 1; day <= toDay; day++) if (this.isWorkingDay(day)) count++;
      return count;
    }
    for (let day = toDay; day < fromDay; day++) if (this.isWorkingDay(day)) count--;
    return count;
  }
}

const FIRST_DAY = dayOf('2018-01-01');
const LAST_DAY = dayOf('2034-12-31');
const dates = fc.integer({ min: FIRST_DAY, max: LAST_DAY }).map(dateOf);
const counts = fc.integer({ min: -300, max: 300 });
// Closure days cluster like real shutdowns (runs of a few days) and sometimes hit holidays or weekends.
const closureRuns = fc
  .array(fc.tuple(fc.integer({ min: FIRST_DAY, max: LAST_DAY }), fc.integer({ min: 1, max: 12 })), {
    maxLength: 6,
  })
  .map((runs) => runs.flatMap(([start, length]) => Array.from({ length }, (_, i) => dateOf(start + i))));
const regions = fc.constantFrom('ENG', 'WLS');

describe('WorkingDayCalendar against a day-by-day reference', () => {
  const references = new Map<string, DayByDayReference>();
  function referenceFor(region: string, closureDays: string[]): DayByDayReference {
    const key = `${region}|${closureDays.join(',')}`;
    let reference = references.get(key);
    if (!reference) {
      reference = new DayByDayReference(region, closureDays);
      references.set(key, reference);
    }
    return reference;
  }

  it('finds the same n-th working day, forwards and backwards', () => {
    fc.assert(
      fc.property(regions, closureRuns, dates, counts, (region, closureDays, date, n) => {
        const calendar = new WorkingDayCalendar({ region, closureDays });
        expect(calendar.addWorkingDays(date, n)).toBe(
          n === 0 ? date : referenceFor(region, closureDays).addWorkingDays(date, n),
        );
      }),
      { numRuns: 300 },
    );
  });

  it('counts the same working days between two dates, in either order', () => {
    fc.assert(
      fc.property(
        regions,
        closureRuns,
        dates,
        fc.integer({ min: -400, max: 400 }),
        (region, closure, from, gap) => {
          const to = dateOf(dayOf(from) + gap);
          const calendar = new WorkingDayCalendar({ region, closureDays: closure });
          expect(calendar.workingDaysBetween(from, to)).toBe(
            referenceFor(region, closure).workingDaysBetween(from, to),
          );
        },
      ),
      { numRuns: 300 },
    );
  });

  it('agrees on which days are working days', () => {
    fc.assert(
      fc.property(closureRuns, fc.integer({ min: FIRST_DAY, max: LAST_DAY }), (closureDays, day) => {
        const calendar = calendarFor({ closureDays });
        expect(calendar.isWorkingDay(dateOf(day))).toBe(referenceFor('ENG', closureDays).isWorkingDay(day));
      }),
      { numRuns: 500 },
    );
  });

  it('agrees 10,000 working days out, both ways', () => {
    const calendar = new WorkingDayCalendar({ closureDays: ['2030-12-30', '2030-12-31'] });
    const reference = new DayByDayReference('ENG', ['2030-12-30', '2030-12-31']);
    for (const start of ['2026-03-02', '2026-12-24', '2027-03-28']) {
      expect(calendar.addWorkingDays(start, 10_000)).toBe(reference.addWorkingDays(start, 10_000));
      expect(calendar.addWorkingDays(start, -10_000)).toBe(reference.addWorkingDays(start, -10_000));
    }
  });
});

describe('WorkingDayCalendar laws', () => {
  const closureDays = ['2026-12-29', '2026-12-30', '2026-12-31', '2027-08-02', '2027-08-03'];
  const calendar = calendarFor({ closureDays });
  const wideCounts = fc.integer({ min: -20_000, max: 20_000 });

  it('counts back exactly the n it was asked to add', () => {
    fc.assert(
      fc.property(dates, wideCounts, (date, n) => {
        expect(calendar.workingDaysBetween(date, calendar.addWorkingDays(date, n))).toBe(n);
      }),
    );
  });

  it('never lands on a weekend, bank holiday or closure day', () => {
    const reference = new DayByDayReference('ENG', closureDays);
    fc.assert(
      fc.property(dates, wideCounts, (date, n) => {
        fc.pre(n !== 0);
        const result = calendar.addWorkingDays(date, n);
        expect(calendar.isWorkingDay(result)).toBe(true);
        expect(reference.isWorkingDay(dayOf(result))).toBe(true);
      }),
    );
  });

  it('moves strictly later as n grows', () => {
    fc.assert(
      fc.property(dates, wideCounts, fc.integer({ min: 1, max: 500 }), (date, n, more) => {
        expect(calendar.addWorkingDays(date, n) < calendar.addWorkingDays(date, n + more)).toBe(true);
      }),
    );
  });

  it('walks back to the same working day it came from', () => {
    fc.assert(
      fc.property(dates, wideCounts, (date, n) => {
        const start = calendar.isWorkingDay(date) ? date : calendar.nextWorkingDay(date);
        expect(calendar.addWorkingDays(calendar.addWorkingDays(start, n), -n)).toBe(start);
        expect(calendar.workingDaysBetween(calendar.addWorkingDays(start, n), start)).toBe(0 - n);
      }),
    );
  });

  it('stays within a few milliseconds for 10,000 working days once warm', () => {
    calendar.addWorkingDays('2026-01-05', 10_000);
    calendar.addWorkingDays('2026-01-05', -10_000);
    const started = process.hrtime.bigint();
    const calls = 2_000;
    for (let i = 0; i < calls; i++) {
      const date = dateOf(FIRST_DAY + ((i * 37) % (LAST_DAY - FIRST_DAY)));
      calendar.addWorkingDays(date, i % 2 === 0 ? 10_000 : -10_000);
    }
    const perCallMs = Number(process.hrtime.bigint() - started) / 1e6 / calls;
    // Measured at a few microseconds per call; the bound is loose so a busy CI box does not flake.
    expect(perCallMs).toBeLessThan(1);
  });
});

describe('England and Wales bank holidays', () => {
  const calendar = new WorkingDayCalendar();

  it('skips Christmas 2026 and the Boxing Day substitute', () => {
    expect(calendar.isWorkingDay('2026-12-24')).toBe(true);
    expect(calendar.isWorkingDay('2026-12-25')).toBe(false);
    expect(calendar.isWorkingDay('2026-12-28')).toBe(false);
    expect(calendar.addWorkingDays('2026-12-24', 1)).toBe('2026-12-29');
    expect(calendar.nextWorkingDay('2026-12-24')).toBe('2026-12-29');
    expect(calendar.addWorkingDays('2026-12-29', -1)).toBe('2026-12-24');
    expect(calendar.workingDaysBetween('2026-12-24', '2026-12-29')).toBe(1);
  });

  it('skips Good Friday and Easter Monday 2027, and treats Easter Sunday as just a Sunday', () => {
    expect(calendar.isWorkingDay('2027-03-26')).toBe(false);
    expect(calendar.isWorkingDay('2027-03-29')).toBe(false);
    expect(calendar.addWorkingDays('2027-03-25', 1)).toBe('2027-03-30');
    expect(calendar.workingDaysBetween('2027-03-25', '2027-04-01')).toBe(3);
    const names = calendar.holidaysIn(2027).map((holiday) => holiday.name);
    expect(names).toEqual(expect.arrayContaining(['Good Friday', 'Easter Monday']));
    expect(names).not.toContain('Easter Sunday');
    expect(names).not.toContain("Mother's Day");
  });

  it('gives no weekday off for an observance', () => {
    const source = new Holidays('GB', 'ENG');
    for (let year = 2018; year <= 2034; year++) {
      for (const observance of source.getHolidays(year).filter((holiday) => holiday.type === 'observance')) {
        const date = observance.date.slice(0, 10);
        const weekday = new Date(`${date}T00:00:00Z`).getUTCDay();
        if (weekday !== 0 && weekday !== 6) expect(calendar.isWorkingDay(date)).toBe(true);
      }
    }
  });

  it('skips the one-off proclaimed days of 2022 and 2023', () => {
    // Platinum Jubilee: spring bank holiday moved to Thu 2 June and an extra day on Fri 3 June 2022.
    expect(calendar.isWorkingDay('2022-06-02')).toBe(false);
    expect(calendar.isWorkingDay('2022-06-03')).toBe(false);
    expect(calendar.addWorkingDays('2022-06-01', 1)).toBe('2022-06-06');
    // State funeral of Queen Elizabeth II.
    expect(calendar.isWorkingDay('2022-09-19')).toBe(false);
    expect(calendar.addWorkingDays('2022-09-16', 1)).toBe('2022-09-20');
    // Coronation of King Charles III.
    expect(calendar.isWorkingDay('2023-05-08')).toBe(false);
    expect(calendar.addWorkingDays('2023-05-05', 1)).toBe('2023-05-09');
  });

  it('does the same for Wales', () => {
    const wales = new WorkingDayCalendar({ region: 'WLS' });
    expect(wales.addWorkingDays('2026-12-24', 1)).toBe('2026-12-29');
    expect(wales.isWorkingDay('2026-08-31')).toBe(false);
    expect(wales.isWorkingDay('2022-09-19')).toBe(false);
    expect(wales.workingDaysBetween('2026-01-01', '2026-12-31')).toBe(
      calendar.workingDaysBetween('2026-01-01', '2026-12-31'),
    );
  });

  it('follows the region setting rather than a UK-wide list', () => {
    const scotland = new WorkingDayCalendar({ region: 'sct' });
    expect(scotland.isWorkingDay('2026-01-02')).toBe(false);
    expect(calendar.isWorkingDay('2026-01-02')).toBe(true);
    expect(scotland.isWorkingDay('2026-08-31')).toBe(true);
    expect(calendar.isWorkingDay('2026-08-31')).toBe(false);
  });

  it('keeps every day off date-holidays gives, in every GB region, 1990 to 2060', () => {
    // The calendar carries only the United Kingdom's rules (gbBankHolidayRules.json): the same
    // bank holidays, substitutes, one-off days and names as the whole package, or a deadline moves.
    const regions = Object.keys(new Holidays().getStates('GB'));
    expect(regions).toEqual(expect.arrayContaining(['ENG', 'WLS', 'SCT', 'NIR']));
    for (const region of regions) {
      const source = new Holidays('GB', region, { languages: 'en' });
      const kept = new WorkingDayCalendar({ region });
      const expected: string[] = [];
      const actual: string[] = [];
      for (let year = 1990; year <= 2060; year++) {
        for (const holiday of source.getHolidays(year)) {
          if (holiday.type === 'public' || holiday.type === 'bank')
            expected.push(`${region} ${holiday.date.slice(0, 10)} ${holiday.name}`);
        }
        for (const holiday of kept.holidaysIn(year)) actual.push(`${region} ${holiday.date} ${holiday.name}`);
      }
      expect(actual).toEqual(expected);
    }
  });

  it('lists the year’s days off in date order', () => {
    const holidays = calendar.holidaysIn(2026);
    expect(holidays.map((holiday) => holiday.date)).toEqual([
      '2026-01-01',
      '2026-04-03',
      '2026-04-06',
      '2026-05-04',
      '2026-05-25',
      '2026-08-31',
      '2026-12-25',
      '2026-12-26',
      '2026-12-28',
    ]);
    expect(holidays[8].name).toMatch(/substitute/i);
  });
});

describe('partnership closure days', () => {
  const shutdown = new WorkingDayCalendar({ closureDays: ['2026-12-31', '2026-12-29', '2026-12-30'] });

  it('skips a council shutdown between Christmas and New Year', () => {
    expect(shutdown.isWorkingDay('2026-12-30')).toBe(false);
    expect(shutdown.addWorkingDays('2026-12-24', 1)).toBe('2027-01-04');
    expect(shutdown.addWorkingDays('2027-01-04', -1)).toBe('2026-12-24');
    expect(shutdown.workingDaysBetween('2026-12-24', '2027-01-04')).toBe(1);
    expect(new WorkingDayCalendar().workingDaysBetween('2026-12-24', '2027-01-04')).toBe(4);
  });

  it('reaches past a closure longer than a year to the first day back', () => {
    // Far beyond any real shutdown, but it forces the answer outside the span loaded up front.
    const closedDays = Array.from({ length: 400 }, (_, i) => dateOf(dayOf('2026-12-29') + i));
    const closed = new WorkingDayCalendar({ closureDays: closedDays });
    const reference = new DayByDayReference('ENG', closedDays);
    const reopening = reference.addWorkingDays('2026-12-24', 1);
    expect(closed.addWorkingDays('2026-12-24', 1)).toBe(reopening);
    expect(closed.addWorkingDays(reopening, -1)).toBe('2026-12-24');
    expect(closed.workingDaysBetween('2026-12-24', reopening)).toBe(1);
  });

  it('lists closure days alongside the bank holidays', () => {
    expect(shutdown.holidaysIn(2026).slice(-4)).toEqual([
      { date: '2026-12-28', name: 'Boxing Day (substitute day)' },
      { date: '2026-12-29', name: 'Partnership closure day' },
      { date: '2026-12-30', name: 'Partnership closure day' },
      { date: '2026-12-31', name: 'Partnership closure day' },
    ]);
  });

  it('shares one calendar per region and set of closure days', () => {
    const first = calendarFor({ region: 'ENG', closureDays: ['2026-12-30', '2026-12-29'] });
    expect(calendarFor({ closureDays: ['2026-12-29', '2026-12-30', '2026-12-29'] })).toBe(first);
    expect(calendarFor({ region: 'WLS', closureDays: ['2026-12-29', '2026-12-30'] })).not.toBe(first);
    expect(calendarFor({ closureDays: ['2026-12-29'] })).not.toBe(first);
    expect(first.isWorkingDay('2026-12-29')).toBe(false);
  });
});

describe('refusing bad input', () => {
  const calendar = new WorkingDayCalendar();

  it('refuses a date that is not YYYY-MM-DD, naming the rule', () => {
    expect(() => calendar.isWorkingDay('2026-02-30')).toThrow(
      /must be a date as YYYY-MM-DD \(got '2026-02-30'\)/,
    );
    expect(() => calendar.addWorkingDays('30/12/2026', 1)).toThrow(/must be a date as YYYY-MM-DD/);
    expect(() => calendar.workingDaysBetween('2026-12-01', 'soon')).toThrow(/must be a date as YYYY-MM-DD/);
  });

  it('refuses a bad closure day or an unknown region in the settings', () => {
    expect(() => new WorkingDayCalendar({ closureDays: ['2026-12-32'] })).toThrow(
      /^closureDays: must be a date as YYYY-MM-DD \(got '2026-12-32'\)/,
    );
    expect(() => calendarFor({ region: 'ENGLAND' })).toThrow(/^region: must be one of .*ENG.*WLS/);
  });

  it('refuses a fractional count and dates off the supported calendar', () => {
    expect(() => calendar.addWorkingDays('2026-12-24', 1.5)).toThrow(/whole number/);
    expect(() => calendar.addWorkingDays('2026-12-24', 1e9)).toThrow(
      /calendar covers 1900-01-01 to 2199-12-31/,
    );
    expect(() => calendar.isWorkingDay('1850-06-03')).toThrow(RangeError);
    expect(() => calendar.holidaysIn(3000)).toThrow(RangeError);
  });
});
