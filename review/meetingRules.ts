/**
 * The rules of booking the review meeting: who is invited, who must be free, which days it may be
 * on, and when a booking is late. The statutory window itself comes from the timeline; after a
 * meeting that decided nothing is reconvened, the meeting may be booked beyond it, and is then
 * recorded and shown as late, with the reconvening that allowed it.
 */
import type { CivilDate, Instant, Meeting, Person, Review } from './model';
import type { PartnershipProfile } from './profile';

export interface MeetingWindow {
  from: CivilDate;
  to: CivilDate;
}

/** Someone who must be free: any one of `anyOf` (structurally the slot finder's requirement). */
export interface AttendanceRequirement {
  label: string;
  anyOf: { person: Person; email: string }[];
}

function emailKey(person: Person): string | undefined {
  return person.email?.toLowerCase();
}

/** Everyone invited: every agency's representatives, the chair and the business unit officer. */
export function meetingAttendees(
  review: Pick<Review, 'agencies' | 'openedBy'>,
  chair: Person | undefined,
): Person[] {
  const people = [
    ...review.agencies.flatMap((a) => a.representatives),
    ...(chair ? [chair] : []),
    review.openedBy,
  ];
  const seen = new Set<string>();
  return people.filter((person) => {
    const key = emailKey(person);
    if (!key || seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/**
 * Who must be free: any one representative of each statutory partner (one is enough for quorum),
 * the chair and the business unit officer. Partners with nobody to invite are returned as gaps.
 */
export function slotRequirements(
  review: Pick<Review, 'agencies' | 'openedBy'>,
  profile: Pick<PartnershipProfile, 'statutoryPartners'>,
  chair: Person,
): { requirements: AttendanceRequirement[]; gaps: string[] } {
  const requirements: AttendanceRequirement[] = [];
  const gaps: string[] = [];
  for (const partner of profile.statutoryPartners) {
    const reps = review.agencies
      .filter((a) => a.kind === partner.kind)
      .flatMap((a) => a.representatives)
      .filter((p) => p.email);
    if (reps.length === 0) gaps.push(partner.label);
    requirements.push({
      label: partner.label,
      anyOf: reps.map((person) => ({ person, email: person.email as string })),
    });
  }
  if (chair.email) requirements.push({ label: 'Chair', anyOf: [{ person: chair, email: chair.email }] });
  if (review.openedBy.email) {
    requirements.push({
      label: 'Business unit',
      anyOf: [{ person: review.openedBy, email: review.openedBy.email }],
    });
  }
  return { requirements, gaps };
}

/** The reconvening that lets this review's meeting be booked after its window, if there is one. */
function latestReconvening(review: Pick<Review, 'reconvenings'>) {
  return review.reconvenings?.at(-1);
}

/**
 * The days the meeting may be booked on. Normally the statutory window. After a reconvene it runs on
 * from today for as many working days as the window spans (at least five), so a meeting that must
 * be late can still be booked; days after the statutory window are late.
 */
export function bookingWindow(
  statutory: MeetingWindow,
  review: Pick<Review, 'reconvenings'>,
  today: CivilDate,
  addWorkingDays: (date: CivilDate, days: number) => CivilDate,
  profile: Pick<PartnershipProfile, 'meetingWindow'>,
): { window: MeetingWindow; lateAfter: CivilDate | null } {
  if (!latestReconvening(review)) return { window: statutory, lateAfter: null };
  const span = Math.max(5, profile.meetingWindow.closeDay - profile.meetingWindow.openDay);
  const from = statutory.from > today ? statutory.from : today;
  const runOn = addWorkingDays(today, span);
  return { window: { from, to: runOn > statutory.to ? runOn : statutory.to }, lateAfter: statutory.to };
}

/** Why a chosen time cannot be booked in the window, or null. `day` is its date in Europe/London. */
export function slotProblem(
  slot: { start: Instant; end: Instant },
  day: CivilDate,
  lengthMinutes: number,
  window: MeetingWindow,
  now: Date,
): string | null {
  const length = (Date.parse(slot.end) - Date.parse(slot.start)) / 60_000;
  if (length !== lengthMinutes) return `the meeting must last ${lengthMinutes} minutes`;
  if (Date.parse(slot.start) < now.getTime()) return 'that time has already passed';
  if (day < window.from || day > window.to) return `that day is outside the meeting window`;
  return null;
}

/**
 * Whether a booking on `day` is late: after the statutory window closed, allowed only after a
 * reconvene, which the meeting (and its audit) then names. Null when it is not late.
 */
export function lateBooking(
  review: Pick<Review, 'reconvenings'>,
  statutory: MeetingWindow,
  day: CivilDate,
): { ok: true; late: Meeting['late'] | null } | { ok: false; reason: string } {
  if (day <= statutory.to) return { ok: true, late: null };
  const reconvening = latestReconvening(review);
  if (!reconvening) {
    return {
      ok: false,
      reason: `that day is after the meeting window closed (${statutory.to}): only a reconvened meeting may be late`,
    };
  }
  return { ok: true, late: { windowClosedOn: statutory.to, reconvenedAt: reconvening.at } };
}
