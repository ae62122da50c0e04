import fc from 'fast-check';

import {
  addCalendarDays,
  civilDateInLondon,
  dayOfWeek,
  formatLongDate,
  formatShortDate,
  fromEpochDay,
  isCivilDate,
  londonHour,
  parseCivilDate,
  toEpochDay,
} from './civilDate';

const MS_PER_DAY = 86_400_000;

// Dates from 1900 to 2199, produced with the platform's own UTC calendar as an independent oracle.
const civilDates = fc
  .integer({ min: Date.UTC(1900, 0, 1) / MS_PER_DAY, max: Date.UTC(2199, 11, 31) / MS_PER_DAY })
  .map((day) => ({ day, text: new Date(day * MS_PER_DAY).toISOString().slice(0, 10) }));

describe('parseCivilDate', () => {
  it('accepts a real date written YYYY-MM-DD', () => {
    expect(parseCivilDate('2026-03-02', 'referral')).toBe('2026-03-02');
    expect(parseCivilDate('2024-02-29')).toBe('2024-02-29');
    expect(parseCivilDate('2000-02-29')).toBe('2000-02-29');
  });

  it('refuses a date that does not exist, naming the field and the rule', () => {
    expect(() => parseCivilDate('2026-02-30', 'referral')).toThrow(
      "referral: must be a date as YYYY-MM-DD (got '2026-02-30')",
    );
    expect(() => parseCivilDate('2100-02-29', 'meetingDate')).toThrow(/^meetingDate: must be a date/);
    expect(() => parseCivilDate('2026-13-01')).toThrow(/^date: must be a date as YYYY-MM-DD/);
    expect(() => parseCivilDate('2026-04-31')).toThrow(/must be a date as YYYY-MM-DD/);
  });

  it('refuses other spellings of a date', () => {
    for (const text of ['2026-3-2', '02/03/2026', '2026-03-02T00:00:00Z', ' 2026-03-02', '', 'tomorrow']) {
      expect(() => parseCivilDate(text, 'referral')).toThrow(/^referral: must be a date as YYYY-MM-DD/);
      expect(isCivilDate(text)).toBe(false);
    }
  });

  it('keeps the error short when given a long paste', () => {
    const paste = 'x'.repeat(5000);
    expect(() => parseCivilDate(paste, 'referral')).toThrow(/^referral: .{0,120}$/);
  });

  it('agrees with the platform calendar on which dates exist', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1900, max: 2199 }),
        fc.integer({ min: 1, max: 12 }),
        fc.integer({ min: 1, max: 31 }),
        (year, month, day) => {
          const text = `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
          const platform = new Date(Date.UTC(year, month - 1, day));
          const exists = platform.getUTCMonth() === month - 1 && platform.getUTCDate() === day;
          expect(isCivilDate(text)).toBe(exists);
        },
      ),
    );
  });
});

describe('epoch days', () => {
  it('counts days from 1970-01-01', () => {
    expect(toEpochDay('1970-01-01')).toBe(0);
    expect(toEpochDay('1969-12-31')).toBe(-1);
    expect(toEpochDay('2027-01-07')).toBe(Date.UTC(2027, 0, 7) / MS_PER_DAY);
  });

  it('matches the UTC calendar and round-trips', () => {
    fc.assert(
      fc.property(civilDates, ({ day, text }) => {
        expect(toEpochDay(text)).toBe(day);
        expect(fromEpochDay(day)).toBe(text);
      }),
    );
  });

  it('refuses a day number that cannot be written as YYYY-MM-DD', () => {
    expect(() => fromEpochDay(1.5)).toThrow(RangeError);
    expect(() => fromEpochDay(toEpochDay('9999-12-31') + 1)).toThrow(RangeError);
    expect(fromEpochDay(toEpochDay('0001-01-01'))).toBe('0001-01-01');
  });
});

describe('calendar arithmetic', () => {
  it('steps over month and year ends and the clock changes without drifting', () => {
    expect(addCalendarDays('2026-03-28', 1)).toBe('2026-03-29');
    expect(addCalendarDays('2026-03-29', 1)).toBe('2026-03-30');
    expect(addCalendarDays('2026-10-25', 1)).toBe('2026-10-26');
    expect(addCalendarDays('2024-02-28', 1)).toBe('2024-02-29');
    expect(addCalendarDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addCalendarDays('2027-01-01', -1)).toBe('2026-12-31');
    expect(addCalendarDays('2026-03-02', 0)).toBe('2026-03-02');
  });

  it('refuses a fractional number of days', () => {
    expect(() => addCalendarDays('2026-03-02', 0.5)).toThrow(/whole number/);
  });

  it('adds days like the UTC calendar does', () => {
    fc.assert(
      fc.property(civilDates, fc.integer({ min: -5000, max: 5000 }), ({ day, text }, n) => {
        expect(addCalendarDays(text, n)).toBe(new Date((day + n) * MS_PER_DAY).toISOString().slice(0, 10));
      }),
    );
  });

  it('gives the day of the week with Sunday as 0', () => {
    expect(dayOfWeek('2027-01-07')).toBe(4);
    expect(dayOfWeek('2026-12-27')).toBe(0);
    expect(dayOfWeek('2026-12-26')).toBe(6);
    fc.assert(
      fc.property(civilDates, ({ day, text }) => {
        expect(dayOfWeek(text)).toBe(new Date(day * MS_PER_DAY).getUTCDay());
      }),
    );
  });
});

describe('London wall clock', () => {
  it('is already tomorrow late in a summer evening UTC, but not in winter', () => {
    expect(civilDateInLondon(new Date('2026-07-01T23:30:00Z'))).toBe('2026-07-02');
    expect(londonHour(new Date('2026-07-01T23:30:00Z'))).toBe(0);
    expect(civilDateInLondon(new Date('2026-01-01T23:30:00Z'))).toBe('2026-01-01');
    expect(londonHour(new Date('2026-01-01T23:30:00Z'))).toBe(23);
  });

  it('follows the clocks going forward and back', () => {
    // Clocks go forward at 01:00 UTC on 29 March 2026 and back at 01:00 UTC on 25 October 2026.
    expect(londonHour(new Date('2026-03-29T00:59:00Z'))).toBe(0);
    expect(londonHour(new Date('2026-03-29T01:00:00Z'))).toBe(2);
    expect(londonHour(new Date('2026-10-25T00:59:00Z'))).toBe(1);
    expect(londonHour(new Date('2026-10-25T01:00:00Z'))).toBe(1);
    expect(londonHour(new Date('2026-10-25T02:00:00Z'))).toBe(2);
  });

  it('does not depend on the server time zone', () => {
    const saved = process.env.TZ;
    try {
      process.env.TZ = 'Pacific/Kiritimati';
      expect(civilDateInLondon(new Date('2026-07-01T22:59:00Z'))).toBe('2026-07-01');
      expect(londonHour(new Date('2026-07-01T22:59:00Z'))).toBe(23);
    } finally {
      if (saved === undefined) delete process.env.TZ;
      else process.env.TZ = saved;
    }
  });

  it('refuses an invalid instant', () => {
    expect(() => civilDateInLondon(new Date('not a date'))).toThrow(RangeError);
    expect(() => londonHour(new Date(Number.NaN))).toThrow(RangeError);
  });
});

describe('formatting', () => {
  it('writes short and long dates the British way', () => {
    expect(formatShortDate('2027-01-07')).toBe('Thu 7 Jan');
    expect(formatLongDate('2027-01-07')).toBe('Thursday 7 January 2027');
    expect(formatShortDate('2026-12-28')).toBe('Mon 28 Dec');
    expect(formatLongDate('2023-05-08')).toBe('Monday 8 May 2023');
  });

  it('refuses to format something that is not a date', () => {
    expect(() => formatShortDate('2026-02-30')).toThrow(/must be a date as YYYY-MM-DD/);
  });
});
