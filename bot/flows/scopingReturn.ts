/**
 * Scoping returns: each agency's representative sees their own editable form (Universal Actions
 * refresh), everyone else sees the card's status. A submission is validated on the server, authorised
 * and saved in one transaction; a bad one comes back with each field's problem and saves nothing.
 */
import {
  agencyOf,
  isRepresentativeOf,
  scopingReturnRefusal,
  scopingReturnsEditable,
  submitScopingReturn,
  type Actor,
} from '../../review/lifecycle';
import { civilDateInLondon } from '../../scheduler/civilDate';
import type { CardReply } from './commands';
import type { FlowDeps } from './deps';
import { afterReply } from './background';
import {
  parseScopingReturn,
  refusalReply,
  scopingFormCard,
  scopingRequestMessage,
  scopingSharedCard,
  scopingSubmittedCardFor,
} from './presenters';

export async function scopingCardView(
  deps: FlowDeps,
  reviewId: string,
  agencyId: string,
  actor: Actor,
): Promise<CardReply> {
  const review = await deps.store.getReview(reviewId);
  const agency = review ? agencyOf(review, agencyId) : undefined;
  if (!review || !agency) return refusalReply('This scoping request no longer exists.');
  const mayEdit =
    (actor.businessUnit || isRepresentativeOf(agency, actor.person)) &&
    scopingReturnsEditable(review, deps.clock.now().toISOString()) === null;
  return {
    card: mayEdit ? scopingFormCard(review, agencyId, deps) : scopingSharedCard(review, agencyId, deps),
  };
}

export async function submitScopingReturnFlow(
  deps: FlowDeps,
  reviewId: string,
  agencyId: string,
  values: Record<string, unknown>,
  actor: Actor,
): Promise<CardReply> {
  const review = await deps.store.getReview(reviewId);
  if (!review || !agencyOf(review, agencyId)) return refusalReply('This scoping request no longer exists.');
  const now = deps.clock.now();
  const refused = scopingReturnRefusal(review, agencyId, actor, now.toISOString());
  if (refused) {
    await deps.store.appendAudit(refused.audit ?? []);
    return refusalReply(refused.reason);
  }
  const parsed = parseScopingReturn(values, civilDateInLondon(now));
  if (!parsed.ok) return { card: scopingFormCard(review, agencyId, deps, { values, errors: parsed.errors }) };

  const result = await deps.store.updateReview(reviewId, (current) =>
    submitScopingReturn(current, agencyId, parsed.value, actor, now.toISOString()),
  );
  if (!result.ok) return refusalReply(result.reason);
  const saved = result.review;
  deps.log.info({ review: saved.reference, agencyId }, 'scoping return saved');

  // Everyone else's view of the card changes too, after the reply. A failure there leaves the return
  // saved (the next refresh shows it), so it must not turn a saved return into an error for the user.
  const thread = saved.teamspace.scopingCards[agencyId];
  if (thread) {
    afterReply(() =>
      deps.messenger
        .update(thread.conversationReference, thread.activityId, scopingRequestMessage(saved, agencyId, deps))
        .catch((error: unknown) =>
          deps.log.warn(
            { review: saved.reference, err: { message: (error as Error).message } },
            'card update failed',
          ),
        ),
    );
  }
  return { card: scopingSubmittedCardFor(saved, agencyId, deps) };
}
