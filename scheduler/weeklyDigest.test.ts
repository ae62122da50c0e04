/** When the weekly digest is posted: Monday at the alert hour, or the week's first working day. */
import { loadProfiles, type PartnershipProfile } from '../review/profile';
import { londonWallClockToInstant } from './slotFinder';
import { digestDayOfWeek, mondayOf, weeklyDigestDue } from './weeklyDigest';
import { calendarFor } from './workingDayCalendar';

const england = loadProfiles().get('england') as PartnershipProfile;
const calendar = calendarFor(england.calendar);
const at = (day: string, hour: number, minute = 0) => londonWallClockToInstant(day, hour * 60 + minute);

describe('weeklyDigestDue', () => {
  it('is Monday from the alert hour, answering the week', () => {
    expect(mondayOf('2026-12-10')).toBe('2026-12-07');
    expect(mondayOf('2026-12-13')).toBe('2026-12-07');
    expect(weeklyDigestDue(england, at('2026-12-07', 8, 59), calendar)).toBeUndefined();
    expect(weeklyDigestDue(england, at('2026-12-07', 9), calendar)).toBe('2026-12-07');
    expect(weeklyDigestDue(england, at('2026-12-08', 9), calendar)).toBeUndefined();
    expect(weeklyDigestDue(england, at('2026-12-13', 9), calendar)).toBeUndefined();
  });

  it('moves to the next working day of the week when Monday is a bank holiday', () => {
    // Easter Monday 2027 is 29 March; the substitute Boxing Day 2026 is Monday 28 December.
    expect(digestDayOfWeek('2027-03-31', calendar)).toBe('2027-03-30');
    expect(weeklyDigestDue(england, at('2027-03-29', 10), calendar)).toBeUndefined();
    expect(weeklyDigestDue(england, at('2027-03-30', 9, 30), calendar)).toBe('2027-03-29');
    expect(digestDayOfWeek('2026-12-28', calendar)).toBe('2026-12-29');
  });
});
