/**
 * Audit lines for refused attempts that change nothing: a card action whose data no card of the bot
 * could have sent, someone outside the business unit trying to open a review, someone outside a
 * review asking for its status. They record who tried, what, where and why, and never the values sent
 * (which may carry the subject's details).
 */
import type { Actor } from './lifecycle';
import type { AuditEvent, Instant, Person, Review } from './model';
import { samePerson } from './lifecycle';
import { reviewPeople } from './reviewPeople';

/**
 * The audit trail of attempts that name no review (or a review that does not exist): review ids are
 * UUIDs, so this one can never be a review's.
 */
export const partnershipAuditId = 'partnership';

/** Why an attempt was refused, as a short code: the trail stays free of anything typed. */
export type RefusalCode =
  | 'unknown-verb'
  | 'no-form-values'
  | 'bad-review-id'
  | 'bad-agency-id'
  | 'wrong-place'
  | 'not-text'
  | 'not-business-unit'
  | 'not-a-member';

export interface RefusedAttempt {
  /** The review the attempt named, when it names one that exists. */
  reviewId?: string;
  actor: Actor;
  at: Instant;
  /** What was attempted: a card verb the bot knows, or a command ('review.open', 'status'). */
  action: string;
  code: RefusalCode;
  /** The kind of place it came from ('personal', 'review-channel', …), never an id typed by a client. */
  place: string;
  /**
   * How many values were refused. Not their fields' names: a tampered form chooses its own names, and
   * a name can carry anything a value can.
   */
  refusedValues?: number;
}

export function refusedAttemptAudit(attempt: RefusedAttempt): AuditEvent {
  const detail: Record<string, unknown> = { reason: attempt.code, place: attempt.place };
  if (attempt.refusedValues) detail.refusedValues = attempt.refusedValues;
  return {
    reviewId: attempt.reviewId ?? partnershipAuditId,
    at: attempt.at,
    actor: attempt.actor.person,
    action: `${attempt.action}.refused`,
    detail,
  };
}

/**
 * Whether someone is one of the review's people: the business unit, whoever opened it, each agency's
 * representatives and partner lead, and the chair. Only they are told its status in its channel.
 */
export function isReviewMember(review: Review, actor: Actor, chair?: Person): boolean {
  if (actor.businessUnit) return true;
  const chairs = [chair, review.meeting?.chair, review.chair].filter((p): p is Person => p !== undefined);
  return [...reviewPeople(review), ...chairs].some((person) => samePerson(person, actor.person));
}
