/** "status": one review in its own channel, or the portfolio of open reviews for the business unit. */
import { civilDateInLondon } from '../../scheduler/civilDate';
import { portfolioRow, reviewStatus } from '../../scheduler/reviewStatus';
import type { CardReply } from './commands';
import type { FlowDeps } from './deps';
import { portfolioCardFor, refusalReply, reviewStatusCardFor } from './presenters';

export async function reviewStatusReply(deps: FlowDeps, reviewId: string): Promise<CardReply> {
  const review = await deps.store.getReview(reviewId);
  if (!review) return refusalReply('This review no longer exists.');
  const today = civilDateInLondon(deps.clock.now());
  return { card: reviewStatusCardFor(reviewStatus(review, deps.profiles.get(review.profileId), today)) };
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
