/**
 * Who attended the review meeting, for how long, and for which agency: the Graph attendance report
 * (after the meeting) reconciled with the bot's live view (during it).
 *
 * Neither source is complete. The report is produced only after the meeting ends and can be missing
 * or partial; the live view starts only once the bot is in the meeting chat. Each can only miss
 * time, never invent it, so a person's time is the larger of the report's total and the union of
 * every interval both sources saw. Attendees are placed with an agency only through the review's
 * representative register; anyone it does not list is reported as unknown, never guessed.
 */
import type { LiveAttendanceState } from './liveAttendance';
import {
  statutoryPartnerKinds,
  type Agency,
  type AgencyKind,
  type AttendanceEntry,
  type Instant,
  type Person,
  type Review,
} from './model';
import type { AttendanceRecord } from './ports';

export type AttendanceSource = 'report' | 'live' | 'both';

export interface AttendeeTime {
  person: Person;
  agencyId?: string;
  agencyKind?: AgencyKind;
  /** Set for the meeting's chair and the business unit officer who opened the review. */
  role?: 'chair' | 'business-unit';
  seconds: number;
  source: AttendanceSource;
}

export interface AgencyAttendance {
  agencyId: string;
  agencyKind: AgencyKind;
  /** Time during which at least one of its representatives was present. */
  seconds: number;
  /** A statutory partner present for less than the minimum (or not at all). */
  belowMinimum: boolean;
  /** Names of its representatives who attended. */
  people: string[];
}

export interface AttendanceReconciliation {
  people: AttendeeTime[];
  /** Every agency of the review, in the review's order, attended or not. */
  agencies: AgencyAttendance[];
  /** Attendees the representative register does not list. */
  unknown: Person[];
  /** Ready to store as review.attendance. */
  entries: AttendanceEntry[];
}

export interface ReconcileOptions {
  /** Statutory partners whose short attendance is flagged. Default: LA, police, ICB. */
  partnerKinds?: AgencyKind[];
  /**
   * Where a live stay with no leave event ends. Default: the booked meeting's end. Without either,
   * an open stay counts for nothing rather than for a guessed length.
   */
  liveUntil?: Instant;
}

interface Interval {
  start: number;
  end: number;
}

interface Attendee {
  person: Person;
  reportSeconds: number;
  intervals: Interval[];
  inReport: boolean;
  inLive: boolean;
}

function sameAad(a: Person, b: Person): boolean {
  return Boolean(a.aadObjectId && b.aadObjectId && a.aadObjectId === b.aadObjectId);
}

function sameEmail(a: Person, b: Person): boolean {
  return Boolean(a.email && b.email && a.email.toLowerCase() === b.email.toLowerCase());
}

/**
 * The agencies whose register lists this attendee: by AAD object id first, then by email. Email is
 * a fallback and not only a tie-break because a partner joining from their own organisation's tenant
 * appears in the partnership's tenant as a guest, with a different object id from their home one.
 */
export function agenciesOfAttendee(review: Review, person: Person): Agency[] {
  const byId = review.agencies.filter((a) => a.representatives.some((rep) => sameAad(rep, person)));
  if (byId.length > 0) return byId;
  return review.agencies.filter((a) => a.representatives.some((rep) => sameEmail(rep, person)));
}

function findAttendee(attendees: Attendee[], person: Person): Attendee | undefined {
  return (
    attendees.find((a) => sameAad(a.person, person)) ?? attendees.find((a) => sameEmail(a.person, person))
  );
}

/** Adds to what is known about a person without overwriting it: the report's details come first. */
function fillIn(known: Person, more: Person): Person {
  return {
    ...(known.aadObjectId || more.aadObjectId ? { aadObjectId: known.aadObjectId || more.aadObjectId } : {}),
    ...(known.email || more.email ? { email: known.email || more.email } : {}),
    name: known.name,
  };
}

function attendeeFor(attendees: Attendee[], person: Person): Attendee {
  const found = findAttendee(attendees, person);
  if (found) {
    found.person = fillIn(found.person, person);
    return found;
  }
  const added: Attendee = { person, reportSeconds: 0, intervals: [], inReport: false, inLive: false };
  attendees.push(added);
  return added;
}

function interval(start: Instant, end: Instant | undefined): Interval | undefined {
  const from = Date.parse(start);
  const to = end === undefined ? Number.NaN : Date.parse(end);
  return Number.isNaN(from) || Number.isNaN(to) || to <= from ? undefined : { start: from, end: to };
}

/** Seconds covered by the union of the intervals (overlaps counted once). */
function coveredSeconds(intervals: Interval[]): number {
  const sorted = [...intervals].sort((a, b) => a.start - b.start);
  let total = 0;
  let current: Interval | undefined;
  for (const next of sorted) {
    if (current && next.start <= current.end) {
      current.end = Math.max(current.end, next.end);
      continue;
    }
    if (current) total += current.end - current.start;
    current = { ...next };
  }
  if (current) total += current.end - current.start;
  return Math.round(total / 1000);
}

function roleOf(review: Review, person: Person): AttendeeTime['role'] {
  const matches = (known: Person) => sameAad(known, person) || sameEmail(known, person);
  if (review.meeting?.chair && matches(review.meeting.chair)) return 'chair';
  if (matches(review.openedBy)) return 'business-unit';
  return undefined;
}

function gatherAttendees(
  records: AttendanceRecord[],
  live: LiveAttendanceState | undefined,
  liveUntil: Instant | undefined,
): Attendee[] {
  const attendees: Attendee[] = [];
  for (const record of records) {
    const person: Person = {
      ...(record.aadObjectId ? { aadObjectId: record.aadObjectId } : {}),
      ...(record.email ? { email: record.email } : {}),
      name: record.name,
    };
    const attendee = attendeeFor(attendees, person);
    attendee.inReport = true;
    // A meeting restarted under the same link gives one report per session: they add up.
    attendee.reportSeconds += Math.max(0, record.totalSeconds);
    for (const stay of record.intervals) {
      const covered = interval(stay.join, stay.leave);
      if (covered) attendee.intervals.push(covered);
    }
  }
  for (const stay of live?.history ?? []) {
    const attendee = attendeeFor(attendees, stay.person);
    attendee.inLive = true;
    const covered = interval(stay.join, stay.leave ?? liveUntil);
    if (covered) attendee.intervals.push(covered);
  }
  return attendees;
}

export function reconcileAttendance(
  review: Review,
  records: AttendanceRecord[],
  live: LiveAttendanceState | undefined,
  minimumMinutes: number,
  options: ReconcileOptions = {},
): AttendanceReconciliation {
  const partnerKinds = options.partnerKinds ?? statutoryPartnerKinds;
  const attendees = gatherAttendees(records, live, options.liveUntil ?? review.meeting?.end);
  const agencyOrder = new Map(review.agencies.map((a, i) => [a.id, i]));

  const placed = attendees.map((attendee) => {
    const agencies = agenciesOfAttendee(review, attendee.person);
    const seconds = Math.max(attendee.reportSeconds, coveredSeconds(attendee.intervals));
    return { attendee, agencies, seconds };
  });

  const agencies: AgencyAttendance[] = review.agencies.map((agency) => {
    const theirs = placed.filter((p) => p.agencies.some((a) => a.id === agency.id));
    // Two representatives in the room at once count once; a report total without intervals still counts.
    const seconds = Math.max(
      coveredSeconds(theirs.flatMap((p) => p.attendee.intervals)),
      ...theirs.map((p) => p.seconds),
      0,
    );
    return {
      agencyId: agency.id,
      agencyKind: agency.kind,
      seconds,
      belowMinimum: partnerKinds.includes(agency.kind) && seconds < minimumMinutes * 60,
      people: theirs.map((p) => p.attendee.person.name).sort((a, b) => a.localeCompare(b)),
    };
  });
  const belowMinimum = new Set(agencies.filter((a) => a.belowMinimum).map((a) => a.agencyId));

  const people: AttendeeTime[] = placed
    .map(({ attendee, agencies: theirs, seconds }): AttendeeTime => {
      const agency = theirs[0];
      const role = agency ? undefined : roleOf(review, attendee.person);
      return {
        person: attendee.person,
        ...(agency ? { agencyId: agency.id, agencyKind: agency.kind } : {}),
        ...(role ? { role } : {}),
        seconds,
        source: attendee.inReport && attendee.inLive ? 'both' : attendee.inReport ? 'report' : 'live',
      };
    })
    .sort((a, b) => {
      const rank = (p: AttendeeTime) =>
        p.agencyId !== undefined
          ? (agencyOrder.get(p.agencyId) ?? 0)
          : p.role
            ? review.agencies.length
            : Infinity;
      return rank(a) - rank(b) || a.person.name.localeCompare(b.person.name);
    });

  return {
    people,
    agencies,
    unknown: people.filter((p) => p.agencyId === undefined && !p.role).map((p) => p.person),
    entries: people.map((p): AttendanceEntry => ({
      person: p.person,
      ...(p.agencyId !== undefined ? { agencyId: p.agencyId } : {}),
      seconds: p.seconds,
      ...(p.agencyId !== undefined && belowMinimum.has(p.agencyId) ? { belowMinimum: true } : {}),
    })),
  };
}
