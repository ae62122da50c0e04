/**
 * Point 9: a scoping return that says the agency's records are not secured, or that no alert is on
 * the child's and family's records, is not silently accepted. Three partnerships' procedures say
 * agencies *must* do both at once (Walsall: "must secure their records"; WSCP: "should also secure
 * all records"; Staffordshire: "Immediately secure all records … Ensure an alert … has been added").
 * An agency that answers it had no involvement has no records to secure, so it is not flagged.
 */
import type { Review, ScopingReturnAnswers } from './model';

export const scopingConcernLabels = {
  recordsNotSecured: 'records not secured',
  noAlert: 'no "subject to a Rapid Review" alert on the records',
} as const;

/** What in one return needs the business unit's attention; empty when nothing does. */
export function scopingReturnConcerns(answers: ScopingReturnAnswers | undefined): string[] {
  if (!answers || answers.involvement !== 'yes') return [];
  const concerns: string[] = [];
  if (!answers.recordsSecured) concerns.push(scopingConcernLabels.recordsNotSecured);
  if (!answers.alertAdded) concerns.push(scopingConcernLabels.noAlert);
  return concerns;
}

/**
 * The concerns of an agency's latest return the business unit has not yet been told of: empty when
 * there are none, or when the last flag recorded for that agency named the same ones (an edit that
 * changes nothing about them flags nothing again).
 */
export function scopingConcernsToFlag(review: Review, agencyId: string): string[] {
  const ret = review.scopingReturns.find((r) => r.agencyId === agencyId && r.status === 'submitted');
  const concerns = scopingReturnConcerns(ret?.answers);
  if (concerns.length === 0) return [];
  const last = (review.scopingFlags ?? []).filter((f) => f.agencyId === agencyId).at(-1);
  if (last && last.concerns.join('\n') === concerns.join('\n')) return [];
  return concerns;
}
