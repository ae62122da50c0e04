/**
 * Who is in the review meeting, for quorum: pure rules over the review's meeting, its live attendance
 * and the attendance report. The bot asks Teams and posts; these decide.
 */
import { assessQuorum, samePerson } from './lifecycle';
import { presentPeople } from './liveAttendance';
import type { AgencyKind, Person, Review } from './model';
import type { PartnershipProfile } from './profile';

export type QuorumNow = ReturnType<typeof assessQuorum>;

export function uniquePeople(people: Person[]): Person[] {
  const out: Person[] = [];
  for (const person of people) if (!out.some((p) => samePerson(p, person))) out.push(person);
  return out;
}

/**
 * Who counts as present: the people in the meeting now; once it has ended, everyone who attended
 * (the chair may confirm quorum just after the end).
 */
export function peoplePresent(review: Review): Person[] {
  const meeting = review.meeting;
  if (!meeting) return [];
  if (meeting.status === 'held') {
    const attended = review.attendance?.map((entry) => entry.person) ?? [];
    return uniquePeople([...attended, ...(meeting.live?.history ?? []).map((stay) => stay.person)]);
  }
  return meeting.live ? presentPeople(meeting.live) : [];
}

/**
 * The quorum as it stands. The chair, the officer who opened the review and the business unit are
 * expected in the room, so only strangers are listed as unknown.
 */
export function quorumNow(
  review: Review,
  profile: PartnershipProfile,
  isBusinessUnit: (person: Person) => boolean,
): QuorumNow {
  const assessment = assessQuorum(
    review,
    peoplePresent(review),
    profile.statutoryPartners.map((p) => p.kind),
    profile.quorum.minimumPerPartner,
  );
  const chair = review.meeting?.chair;
  const unknown = assessment.unknown.filter(
    (person) =>
      !(chair && samePerson(chair, person)) &&
      !samePerson(review.openedBy, person) &&
      !isBusinessUnit(person),
  );
  return { ...assessment, unknown };
}

/** Statutory partners' representatives not shown as present (to ask Teams about, one by one). */
export function partnerRepresentativesNotSeen(review: Review, partnerKinds: AgencyKind[]): Person[] {
  const present = peoplePresent(review);
  const reps = review.agencies
    .filter((a) => partnerKinds.includes(a.kind))
    .flatMap((a) => a.representatives)
    .filter((rep) => !present.some((p) => samePerson(p, rep)));
  return uniquePeople(reps);
}
