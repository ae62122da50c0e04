import fc from 'fast-check';
import { formatInstant, formatTimeRange } from './cardText';

/** What Intl itself shows on a London clock, in the cards' words ('Sep', no comma after the day). */
const intlLondon = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/London',
  weekday: 'short',
  day: 'numeric',
  month: 'short',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});
function byIntl(instant: Date): string {
  const p = Object.fromEntries(intlLondon.formatToParts(instant).map((part) => [part.type, part.value]));
  return `${p.weekday} ${p.day} ${p.month.slice(0, 3)} ${p.year}, ${p.hour}:${p.minute}`;
}

describe('times on cards', () => {
  it('shows a London clock, the way dates are written elsewhere on the cards', () => {
    expect(formatInstant('2027-03-09T10:00:00.000Z')).toBe('Tue 9 Mar 2027, 10:00');
    expect(formatInstant('2026-09-15T10:05:00.000Z')).toBe('Tue 15 Sep 2026, 11:05');
    expect(formatInstant('2026-07-01T23:30:00.000Z')).toBe('Thu 2 Jul 2026, 00:30');
    expect(formatTimeRange('2026-12-08T10:00:00.000Z', '2026-12-08T12:30:00.000Z')).toBe(
      'Tue 8 Dec 2026, 10:00–12:30',
    );
    expect(() => formatInstant('not a time')).toThrow(RangeError);
  });

  it('agrees with the time-zone database minute by minute around every clock change, 1970–2070', () => {
    for (let year = 1970; year <= 2070; year++) {
      for (const month of [2, 9]) {
        // The last Sunday of March and of October, and the hours either side of 01:00 UTC.
        const lastDay = new Date(Date.UTC(year, month + 1, 0));
        const sunday = Date.UTC(year, month, lastDay.getUTCDate() - lastDay.getUTCDay());
        for (let minute = -120; minute <= 180; minute += 7) {
          const instant = new Date(sunday + minute * 60_000);
          expect(formatInstant(instant.toISOString())).toBe(byIntl(instant));
        }
      }
    }
  });

  it('agrees with the time-zone database at any instant, even before railway time', () => {
    fc.assert(
      fc.property(
        fc.date({ min: new Date('1800-01-01'), max: new Date('2100-12-31'), noInvalidDate: true }),
        (d) => {
          expect(formatInstant(d.toISOString())).toBe(byIntl(d));
        },
      ),
      { seed: 1127, numRuns: 5000 },
    );
  });
});
