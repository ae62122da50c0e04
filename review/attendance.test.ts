import { sampleReview } from '../test/fixtures/sampleReview';
import { reconcileAttendance } from './attendance';
import { applyParticipantEvent, emptyLiveAttendance, type LiveAttendanceState } from './liveAttendance';
import type { Person, Review } from './model';
import type { AttendanceRecord } from './ports';

const MEETING_START = '2026-03-13T10:00:00.000Z';
const MEETING_END = '2026-03-13T12:00:00.000Z';

function reviewWithMeeting(overrides: Partial<Review> = {}): Review {
  return sampleReview({
    state: 'meeting-held',
    meeting: {
      status: 'held',
      start: MEETING_START,
      end: MEETING_END,
      transactionId: 'txn-1',
      chair: { aadObjectId: 'aad-chair', email: 'chair@partnership.example.org', name: 'Chris Chairperson' },
    },
    ...overrides,
  });
}

function rep(review: Review, agencyId: string): Person {
  const agency = review.agencies.find((a) => a.id === agencyId);
  if (!agency) throw new Error(`no agency ${agencyId}`);
  return agency.representatives[0];
}

function at(minutes: number): string {
  return new Date(Date.parse(MEETING_START) + minutes * 60_000).toISOString();
}

/** A report record for someone present from `from` to `to` minutes into the meeting. */
function record(person: Partial<Person> & { name: string }, from: number, to: number): AttendanceRecord {
  return {
    ...person,
    role: 'Attendee',
    totalSeconds: (to - from) * 60,
    intervals: [{ join: at(from), leave: at(to), seconds: (to - from) * 60 }],
  };
}

function live(events: { kind: 'join' | 'leave'; person: Person; minute: number }[]): LiveAttendanceState {
  return events.reduce(
    (state, e) =>
      applyParticipantEvent(state, {
        kind: e.kind,
        members: [{ aadObjectId: e.person.aadObjectId ?? '', name: e.person.name }],
        at: at(e.minute),
      }),
    emptyLiveAttendance(),
  );
}

describe('reconcileAttendance', () => {
  it('places each attendee with their agency and totals each agency', () => {
    const review = reviewWithMeeting();
    const la = rep(review, 'la');
    const police = rep(review, 'police');
    const icb = rep(review, 'icb');
    const result = reconcileAttendance(
      review,
      [record(la, 0, 120), record(police, 5, 115), record(icb, 0, 90)],
      undefined,
      30,
    );
    expect(result.people.map((p) => [p.person.name, p.agencyId, p.seconds, p.source])).toEqual([
      [la.name, 'la', 7200, 'report'],
      [police.name, 'police', 6600, 'report'],
      [icb.name, 'icb', 5400, 'report'],
    ]);
    expect(result.agencies.find((a) => a.agencyId === 'police')).toEqual({
      agencyId: 'police',
      agencyKind: 'police',
      seconds: 6600,
      belowMinimum: false,
      people: [police.name],
    });
    expect(result.unknown).toEqual([]);
  });

  it('matches an attendee by email, whatever its case, when the object id differs (a guest account)', () => {
    const review = reviewWithMeeting();
    const police = rep(review, 'police');
    const guest = {
      aadObjectId: 'aad-guest-in-host-tenant',
      email: police.email?.toUpperCase(),
      name: police.name,
    };
    const result = reconcileAttendance(review, [record(guest, 0, 120)], undefined, 30);
    expect(result.people[0]).toMatchObject({ agencyId: 'police', agencyKind: 'police', seconds: 7200 });
    expect(result.unknown).toEqual([]);
  });

  it('lists an attendee the register does not know, and never guesses from a matching name', () => {
    const review = reviewWithMeeting();
    const la = rep(review, 'la');
    const stranger = {
      aadObjectId: 'aad-stranger',
      email: 'someone@elsewhere.example.org',
      name: 'Visiting Observer',
    };
    const namesake = { email: 'another.robin@elsewhere.example.org', name: la.name };
    const result = reconcileAttendance(
      review,
      [record(la, 0, 120), record(stranger, 0, 60), record(namesake, 0, 60)],
      undefined,
      30,
    );
    expect(result.unknown.map((p) => p.email)).toEqual([namesake.email, stranger.email]);
    expect(result.people.filter((p) => p.agencyId === undefined)).toHaveLength(2);
    expect(result.agencies.find((a) => a.agencyId === 'la')?.people).toEqual([la.name]);
    const unknownEntry = result.entries.find((e) => e.person.email === stranger.email);
    expect(unknownEntry).toEqual({ person: stranger, seconds: 3600 });
  });

  it('flags a statutory partner present for less than the minimum, and one not present at all', () => {
    const review = reviewWithMeeting();
    const la = rep(review, 'la');
    const icb = rep(review, 'icb');
    const school = rep(review, 'school');
    const result = reconcileAttendance(
      review,
      [record(la, 0, 120), record(icb, 0, 20), record(school, 0, 5)],
      undefined,
      30,
    );
    const flagged = result.agencies.filter((a) => a.belowMinimum).map((a) => [a.agencyId, a.seconds]);
    expect(flagged).toEqual([
      ['police', 0],
      ['icb', 1200],
    ]);
    // Short attendance of a non-statutory agency is not a quorum matter.
    expect(result.agencies.find((a) => a.agencyId === 'school')).toMatchObject({
      seconds: 300,
      belowMinimum: false,
    });
    expect(result.entries.find((e) => e.agencyId === 'icb')).toMatchObject({
      seconds: 1200,
      belowMinimum: true,
    });
    expect(result.entries.find((e) => e.agencyId === 'la')?.belowMinimum).toBeUndefined();
    // The flag follows the profile's minimum.
    const lenient = reconcileAttendance(review, [record(la, 0, 120), record(icb, 0, 20)], undefined, 15);
    expect(lenient.agencies.find((a) => a.agencyId === 'icb')?.belowMinimum).toBe(false);
  });

  it('counts someone the live view saw but the report is missing', () => {
    const review = reviewWithMeeting();
    const la = rep(review, 'la');
    const police = rep(review, 'police');
    const view = live([
      { kind: 'join', person: police, minute: 10 },
      { kind: 'leave', person: police, minute: 70 },
    ]);
    const result = reconcileAttendance(review, [record(la, 0, 120)], view, 30);
    expect(result.people.find((p) => p.agencyId === 'police')).toMatchObject({
      person: { aadObjectId: police.aadObjectId, name: police.name },
      seconds: 3600,
      source: 'live',
    });
    expect(result.agencies.find((a) => a.agencyId === 'police')?.belowMinimum).toBe(false);
  });

  it('merges the two sources for the same person and keeps the fuller account of their time', () => {
    const review = reviewWithMeeting();
    const la = rep(review, 'la');
    // The bot was installed 30 minutes in, so the live view missed the start; the report has it all.
    const view = live([{ kind: 'join', person: la, minute: 30 }]);
    const result = reconcileAttendance(review, [record(la, 0, 100)], view, 30);
    // The report ends at 100 minutes but the live stay is still open: it runs to the meeting's end.
    expect(result.people).toEqual([expect.objectContaining({ source: 'both', seconds: 7200 })]);
    expect(result.people[0].person.email).toBe(la.email);
  });

  it('counts two representatives of one agency in the room at once only once', () => {
    const base = reviewWithMeeting();
    const second = { aadObjectId: 'aad-second-la', email: 'second.la@la.example.org', name: 'Dana Deputy' };
    const review = {
      ...base,
      agencies: base.agencies.map((a) =>
        a.id === 'la' ? { ...a, representatives: [...a.representatives, second] } : a,
      ),
    };
    const la = rep(review, 'la');
    const result = reconcileAttendance(review, [record(la, 0, 20), record(second, 10, 40)], undefined, 30);
    expect(result.agencies.find((a) => a.agencyId === 'la')).toMatchObject({
      seconds: 40 * 60,
      belowMinimum: false,
      people: ['Dana Deputy', la.name],
    });
  });

  it('recognises the chair and the business unit rather than listing them as unknown', () => {
    const review = reviewWithMeeting();
    const chair = review.meeting?.chair as Person;
    const result = reconcileAttendance(
      review,
      [record({ email: chair.email, name: chair.name }, 0, 120), record(review.openedBy, 0, 120)],
      undefined,
      30,
    );
    expect(result.unknown).toEqual([]);
    expect(result.people.map((p) => p.role).sort()).toEqual(['business-unit', 'chair']);
  });

  it('gives an open live stay no time when the meeting has no known end', () => {
    const review = reviewWithMeeting({ meeting: undefined });
    const police = rep(review, 'police');
    const view = live([{ kind: 'join', person: police, minute: 0 }]);
    const result = reconcileAttendance(review, [], view, 30);
    expect(result.people[0]).toMatchObject({ agencyId: 'police', seconds: 0, source: 'live' });
    const ended = reconcileAttendance(review, [], view, 30, { liveUntil: at(45) });
    expect(ended.people[0].seconds).toBe(45 * 60);
  });

  it('adds up a person who appears in two reports of a restarted meeting', () => {
    const review = reviewWithMeeting();
    const icb = rep(review, 'icb');
    const result = reconcileAttendance(review, [record(icb, 0, 20), record(icb, 60, 80)], undefined, 30);
    expect(result.people).toHaveLength(1);
    expect(result.agencies.find((a) => a.agencyId === 'icb')).toMatchObject({
      seconds: 2400,
      belowMinimum: false,
    });
  });
});
