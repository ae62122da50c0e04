import { bookMeeting } from './lifecycle';
import { bookingWindow, lateBooking, meetingAttendees, slotProblem, slotRequirements } from './meetingRules';
import { ProfileRegistry } from './profile';
import { sampleReview } from '../test/fixtures/sampleReview';

const profiles = new ProfileRegistry();
const england = profiles.get('england');
const statutory = { from: '2026-03-12', to: '2026-03-20' };
const chair = { name: 'Chris Chair', email: 'chris.chair@example.org' };
const officer = { person: { name: 'Bea Unit', email: 'bea@example.org' }, businessUnit: true };
const at = '2026-03-23T10:00:00.000Z';
/** Calendar days stand in for working days here: the rule only adds them. */
const addDays = (date: string, days: number) =>
  new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
const reconvening = { reason: 'Police absent', by: officer.person, at: '2026-03-21T09:00:00.000Z' };

describe('meeting rules (issue 11, points 4 and the Build section)', () => {
  it('invites every representative, the chair and the officer once each', () => {
    const review = sampleReview();
    const invited = meetingAttendees(review, chair);
    expect(invited).toHaveLength(12);
    expect(meetingAttendees(review, review.openedBy)).toHaveLength(11);
  });

  it('needs one representative of each statutory partner, the chair and the officer; names gaps', () => {
    const review = sampleReview();
    const { requirements, gaps } = slotRequirements(review, england, chair);
    expect(requirements.map((r) => r.label)).toEqual([
      ...england.statutoryPartners.map((p) => p.label),
      'Chair',
      'Business unit',
    ]);
    expect(gaps).toEqual([]);
    const noPolice = sampleReview({ agencies: review.agencies.filter((a) => a.kind !== 'police') });
    expect(slotRequirements(noPolice, england, chair).gaps).toEqual([
      england.statutoryPartners.find((p) => p.kind === 'police')?.label,
    ]);
  });

  it('books in the statutory window, and beyond it only after a reconvene', () => {
    const review = sampleReview();
    expect(bookingWindow(statutory, review, '2026-03-21', addDays, england)).toEqual({
      window: statutory,
      lateAfter: null,
    });
    const reconvened = { ...review, reconvenings: [reconvening] };
    const late = bookingWindow(statutory, reconvened, '2026-03-23', addDays, england);
    expect(late.lateAfter).toBe('2026-03-20');
    expect(late.window.from).toBe('2026-03-23');
    expect(late.window.to > '2026-03-23').toBe(true);
  });

  it('says why a time cannot be booked', () => {
    const now = new Date('2026-03-12T08:00:00Z');
    const slot = { start: '2026-03-13T10:00:00.000Z', end: '2026-03-13T12:00:00.000Z' };
    const length = england.meeting.lengthMinutes;
    expect(slotProblem(slot, '2026-03-13', length, statutory, now)).toBeNull();
    expect(slotProblem(slot, '2026-03-13', length + 30, statutory, now)).toBe(
      `the meeting must last ${length + 30} minutes`,
    );
    expect(slotProblem(slot, '2026-03-23', length, statutory, now)).toBe(
      'that day is outside the meeting window',
    );
    expect(slotProblem(slot, '2026-03-13', length, statutory, new Date('2026-03-14T00:00:00Z'))).toBe(
      'that time has already passed',
    );
  });

  it('marks a booking after the window late, naming the reconvening, and refuses it without one', () => {
    const review = sampleReview();
    expect(lateBooking(review, statutory, '2026-03-20')).toEqual({ ok: true, late: null });
    expect(lateBooking(review, statutory, '2026-03-23')).toEqual({
      ok: false,
      reason:
        'that day is after the meeting window closed (2026-03-20): only a reconvened meeting may be late',
    });
    const reconvened = { ...review, reconvenings: [reconvening] };
    const late = lateBooking(reconvened, statutory, '2026-03-23');
    expect(late).toEqual({ ok: true, late: { windowClosedOn: '2026-03-20', reconvenedAt: reconvening.at } });

    // The lifecycle refuses a late meeting that no reconvening allowed, and audits one that was.
    const meeting = {
      status: 'proposed' as const,
      start: '2026-03-23T10:00:00.000Z',
      end: '2026-03-23T12:00:00.000Z',
      transactionId: 't-1',
      late: { windowClosedOn: '2026-03-20', reconvenedAt: reconvening.at },
    };
    expect(bookMeeting(review, meeting, officer, at)).toMatchObject({
      ok: false,
      reason: 'only a reconvened meeting may be booked after its window',
    });
    const booked = bookMeeting(reconvened, meeting, officer, at);
    expect(booked.ok && booked.review.meeting?.late).toEqual(meeting.late);
    expect(booked.audit?.[0].detail).toMatchObject({
      late: { because: 'reconvened', windowClosedOn: '2026-03-20' },
    });
  });
});
