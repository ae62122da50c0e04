/** "status": one review in its own channel, or the portfolio of open reviews for the business unit. */
import { civilDateInLondon } from '../../scheduler/civilDate';
import { portfolioRow, reviewStatus } from '../../scheduler/reviewStatus';
import type { CardReply } from './replies';
import type { FlowDeps } from './deps';
import { portfolioCardFor, refusalReply, reviewStatusCardFor } from './presenters';
import type { Actor } from '../../review/lifecycle';
import { isReviewMember } from '../../review/refusals';
import { refuseAttempt } from './refusals';

export async function reviewStatusReply(deps: FlowDeps, reviewId: string): Promise<CardReply> {
  const review = await deps.store.getReview(reviewId);
  if (!review) return refusalReply('This review no longer exists.');
  const today = civilDateInLondon(deps.clock.now());
  return { card: reviewStatusCardFor(reviewStatus(review, deps.profiles.get(review.profileId), today)) };
}

/**
 * "status" said in a review's channel: answered only to the review's own people. Anyone else who can
 * post there (a team owner, someone added by hand) is refused plainly, and the attempt is audited.
 */
export async function reviewChannelStatusReply(
  deps: FlowDeps,
  reviewId: string,
  actor: Actor,
): Promise<CardReply> {
  const review = await deps.store.getReview(reviewId);
  if (!review) return refusalReply('This review no longer exists.');
  if (!isReviewMember(review, actor, deps.settings.chair)) {
    return refuseAttempt(
      deps,
      { actor, action: 'status', code: 'not-a-member', place: 'review-channel', reviewId },
      `The status of ${review.reference} is for the people of this review only: ask the business unit if you should be one of them.`,
    );
  }
  return reviewStatusReply(deps, reviewId);
}

export async function portfolioReply(deps: FlowDeps): Promise<CardReply> {
  const today = civilDateInLondon(deps.clock.now());
  const rows = (await deps.store.listReviews({ openOnly: true })).map((review) =>
    portfolioRow(review, deps.profiles.get(review.profileId), today),
  );
  const order = { red: 0, amber: 1, green: 2 };
  rows.sort((a, b) => order[a.rag] - order[b.rag] || a.reference.localeCompare(b.reference));
  return { card: portfolioCardFor(rows, today, deps.profiles.get(deps.settings.defaultProfileId).name) };
}
