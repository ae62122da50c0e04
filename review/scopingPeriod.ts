/**
 * The scoping period: the time frame agencies search their records for. Where the partnership agrees
 * one per review (Staffordshire: "the agreed time frame / scoping period"), the business unit records
 * it (`record scoping-period FROM TO`) and every scoping card shows it.
 */
import type { Actor } from './lifecycle';
import type { CivilDate, Instant, Review } from './model';
import type { PartnershipProfile } from './profile';
import type { ChangeResult } from './store';
import { futureDateIssue } from './anchorDates';

/** Why a scoping period cannot be recorded, naming the field and the rule, or null. */
export function scopingPeriodIssue(from: CivilDate, to: CivilDate, today: CivilDate): string | null {
  const future = futureDateIssue(to, today);
  if (future) return `to ${to}: ${future} (today is ${today})`;
  if (to < from) return `to ${to}: Must not be before the start of the period (from ${from})`;
  return null;
}

export function recordScopingPeriod(
  review: Review,
  profile: PartnershipProfile,
  period: { from: CivilDate; to: CivilDate },
  actor: Actor,
  at: Instant,
  today: CivilDate,
): ChangeResult {
  const reason = !actor.businessUnit
    ? 'only the business unit records the scoping period'
    : review.state === 'closed'
      ? 'the review is closed'
      : !profile.scopingPeriod.agreedPerReview
        ? `${profile.name} does not agree a scoping period per review`
        : scopingPeriodIssue(period.from, period.to, today);
  const event = (action: string, detail: Record<string, unknown>) => ({
    reviewId: review.id,
    at,
    actor: actor.person,
    action,
    detail,
  });
  if (reason) {
    return { ok: false, reason, audit: [event('scoping-period.recorded.refused', { reason })] };
  }
  return {
    ok: true,
    review: { ...review, scopingPeriod: { from: period.from, to: period.to } },
    audit: [event('scoping-period.recorded', { ...period, previous: review.scopingPeriod ?? null })],
  };
}

/** The line a scoping card shows, or null where the partnership does not agree a period per review. */
export function scopingPeriodText(
  review: Review,
  profile: PartnershipProfile,
  formatDate: (date: CivilDate) => string,
): string | null {
  if (review.scopingPeriod) {
    return `${formatDate(review.scopingPeriod.from)} to ${formatDate(review.scopingPeriod.to)}`;
  }
  if (!profile.scopingPeriod.agreedPerReview) return null;
  return 'not agreed yet: the business unit records it (record scoping-period FROM TO)';
}
