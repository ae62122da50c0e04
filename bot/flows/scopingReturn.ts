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
import { ReviewNotFoundError, type UpdateOutcome } from '../../review/store';
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

const requestGone = 'This scoping request no longer exists.';

export async function submitScopingReturnFlow(
  deps: FlowDeps,
  reviewId: string,
  agencyId: string,
  values: Record<string, unknown>,
  actor: Actor,
): Promise<CardReply> {
  await nextTurn();
  const now = deps.clock.now();
  const at = now.toISOString();
  const parsed = parseScopingReturn(values, civilDateInLondon(now));
  if (!parsed.ok) {
    // Nothing is saved; the review is read only to show the form again, to someone allowed to see it.
    const review = await deps.store.getReview(reviewId);
    if (!review || !agencyOf(review, agencyId)) return refusalReply(requestGone);
    const refused = scopingReturnRefusal(review, agencyId, actor, at);
    if (refused) {
      await deps.store.appendAudit(refused.audit ?? []);
      return refusalReply(refused.reason);
    }
    return { card: scopingFormCard(review, agencyId, deps, { values, errors: parsed.errors }) };
  }

  // The review is read once, inside the transaction that saves the return, and the refusals
  // (outsider, meeting started) are judged on that same copy; a refusal saves only its audit line.
  let outcome: UpdateOutcome;
  try {
    outcome = await deps.store.updateReview(reviewId, (current) =>
      agencyOf(current, agencyId)
        ? submitScopingReturn(current, agencyId, parsed.value, actor, at)
        : { ok: false, reason: requestGone },
    );
  } catch (error) {
    if (error instanceof ReviewNotFoundError) return refusalReply(requestGone);
    throw error;
  }
  if (!outcome.ok) return refusalReply(outcome.reason);
  const saved = outcome.review;
  deps.log.info({ review: saved.reference, agencyId }, 'scoping return saved');

  // Everyone else's view of the card changes too, after the reply. A failure there leaves the return
  // saved (the next refresh shows it), so it must not turn a saved return into an error for the user.
  const thread = saved.teamspace.scopingCards[agencyId];
  if (thread) {
    afterReply(() =>
      nextTurn()
        .then(() => scopingRequestMessage(saved, agencyId, deps))
        .then(async (message) => {
          await nextTurn();
          await deps.messenger.update(thread.conversationReference, thread.activityId, message);
        })
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
