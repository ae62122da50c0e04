/**
 * The people a review names (the officer who opened it, each agency's representatives and partner
 * lead) and their Entra object ids. Teams and Graph know people by object id only, so every person is
 * looked up in the directory by e-mail before the review's channel is set up.
 */
import type { AuditEvent, Person, Review } from './model';
import type { DirectoryPerson } from './ports';

/** The key a person is recorded under: the object id once known, else the e-mail. */
export function personKey(person: Person): string {
  return person.aadObjectId ?? person.email?.toLowerCase() ?? person.name;
}

/** Everyone who needs the review's channel, once each. */
export function reviewPeople(review: Review): Person[] {
  const people: Person[] = [review.openedBy];
  for (const agency of review.agencies) {
    people.push(...agency.representatives);
    if (agency.lead) people.push(agency.lead);
  }
  const seen = new Set<string>();
  return people.filter((person) => {
    const key = person.aadObjectId ?? person.email?.toLowerCase();
    if (!key || seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** E-mails of named people whose object id is not yet known. */
export function emailsToResolve(review: Review): string[] {
  const emails = new Set<string>();
  for (const person of reviewPeople(review)) {
    if (!person.aadObjectId && person.email) emails.add(person.email.toLowerCase());
  }
  return [...emails];
}

function resolved(person: Person, found: ReadonlyMap<string, DirectoryPerson>): Person {
  if (person.aadObjectId || !person.email) return person;
  const entry = found.get(person.email.toLowerCase());
  return entry ? { ...person, aadObjectId: entry.aadObjectId } : person;
}

/** The review with the object ids found filled in, and the audit line saying how many. */
export function withObjectIds(
  review: Review,
  found: ReadonlyMap<string, DirectoryPerson>,
  at: string,
): { review: Review; audit: AuditEvent[]; missing: Person[] } {
  const next: Review = {
    ...review,
    openedBy: resolved(review.openedBy, found),
    agencies: review.agencies.map((agency) => ({
      ...agency,
      representatives: agency.representatives.map((person) => resolved(person, found)),
      ...(agency.lead ? { lead: resolved(agency.lead, found) } : {}),
    })),
  };
  const missing = reviewPeople(next).filter((person) => !person.aadObjectId);
  const guests = [...found.values()].filter((entry) => entry.userType === 'Guest').length;
  return {
    review: next,
    missing,
    audit: [
      {
        reviewId: review.id,
        at,
        actor: { system: 'rapid-review-bot' },
        action: 'people.resolved',
        detail: { found: found.size, guests, missing: missing.length },
      },
    ],
  };
}

/** What the business unit is told about someone the directory does not know, and how to fix it. */
export function notInDirectoryAdvice(person: Person): string {
  return (
    `${person.name} (${person.email ?? 'no e-mail'}) is not in the partnership's directory. ` +
    `Invite them as a guest (Entra B2B) with this e-mail, or correct the e-mail; someone who must stay ` +
    `in their own organisation's tenant needs a shared review channel instead.`
  );
}
