/**
 * Scoping returns: each agency's representative sees their own editable form (Universal Actions
 * refresh), everyone else sees the card's status. A submission is validated on the server, authorised
 * and saved in one transaction; a bad one comes back with each field's problem and saves nothing.
 */
import { escapeMarkdown } from '../../cards/markdown';
import {
  agencyOf,
  isRepresentativeOf,
  recordScopingFlagged,
  scopingCardOf,
  scopingReturnRefusal,
  scopingReturnsEditable,
  staleScopingReturn,
  submitScopingReturn,
  type Actor,
} from '../../review/lifecycle';
import type { Review } from '../../review/model';
import { scopingConcernsToFlag } from '../../review/scopingConcerns';
import { ReviewNotFoundError, type ChangeResult, type UpdateOutcome } from '../../review/store';
import { civilDateInLondon } from '../../scheduler/civilDate';
import { refusedAttemptAudit } from '../../review/refusals';
import type { CardReply } from './replies';
import { valuesNotText } from './refusals';
import type { FlowDeps } from './deps';
import { noticeMessage } from './meetingChannel';
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

/**
 * A scoping reply, with a notice that says what happened without any answer in it: what a reply posted
 * for the whole channel to read (the Action.Submit fallback) shows instead of the card.
 */
export interface ScopingReply extends CardReply {
  notice: string;
}

function invalidNotice(errors: Record<string, string>): string {
  const fields = Object.entries(errors)
    .slice(0, 20)
    .map(([field, rule]) => `${field.slice(0, 60)}: ${rule}`);
  return (
    `Not saved: ${Object.keys(errors).length} answer(s) need attention (${fields.join('; ')}). ` +
    'Open the card in Teams on the web or the desktop to correct them: your answers are not shown here.'
  );
}

export async function submitScopingReturnFlow(
  deps: FlowDeps,
  reviewId: string,
  agencyId: string,
  values: Record<string, unknown>,
  actor: Actor,
): Promise<ScopingReply> {
  const refusal = (reason: string): ScopingReply => ({ ...refusalReply(reason), notice: reason });
  const now = deps.clock.now();
  const at = now.toISOString();
  const parsed = parseScopingReturn(values, civilDateInLondon(now), deps.background);
  // Teams sends every input as text: anything else was made by hand, and the attempt is audited.
  const notText = valuesNotText(values);
  if (notText > 0) {
    const named = await deps.store.getReview(reviewId);
    await deps.store.appendAudit([
      refusedAttemptAudit({
        ...(named ? { reviewId: named.id } : {}),
        actor,
        at,
        action: 'scopingReturn.submit',
        code: 'not-text',
        place: 'review-channel',
        refusedValues: notText,
      }),
    ]);
  }
  if (!parsed.ok) {
    // Nothing is saved; the review is read only to show the form again, to someone allowed to see it.
    const review = await deps.store.getReview(reviewId);
    if (!review || !agencyOf(review, agencyId)) return refusal(requestGone);
    const refused = scopingReturnRefusal(review, agencyId, actor, at);
    if (refused) {
      await deps.store.appendAudit(refused.audit ?? []);
      return refusal(refused.reason);
    }
    // Shown again with the user's values, the form would carry the saved revision: made from an older
    // one, it would then overwrite answers its author never saw. The newer answers are shown instead.
    const madeFrom = typeof values.revision === 'string' ? Number(values.revision) : values.revision;
    if (typeof madeFrom === 'number' && Number.isInteger(madeFrom)) {
      const stale = staleScopingReturn(review, agencyId, madeFrom, actor, at);
      if (stale) {
        await deps.store.appendAudit(stale.audit ?? []);
        return staleReply(deps, review, agencyId);
      }
    }
    return {
      card: scopingFormCard(review, agencyId, deps, { values, errors: parsed.errors }),
      notice: invalidNotice(parsed.errors),
    };
  }

  // The review is read once, inside the transaction that saves the return, and the refusals
  // (outsider, meeting started) are judged on that same copy; a refusal saves only its audit line.
  // The store reads and writes this agency's return alone (the other agencies' are not in `current`),
  // and the cards, which show this agency's return only, are built from the change as saved.
  let changed: Review | undefined;
  let newer: Review | undefined;
  let outcome: UpdateOutcome;
  try {
    outcome = await deps.store.updateScopingReturn(reviewId, agencyId, (current) => {
      const stale =
        agencyOf(current, agencyId) && scopingReturnRefusal(current, agencyId, actor, at) === null
          ? staleScopingReturn(current, agencyId, parsed.madeFromRevision, actor, at)
          : null;
      if (stale) newer = current;
      const result: ChangeResult =
        stale ??
        (agencyOf(current, agencyId)
          ? submitScopingReturn(current, agencyId, parsed.value, actor, at)
          : { ok: false, reason: requestGone });
      changed = result.ok ? { ...result.review, version: current.version + 1 } : undefined;
      return result;
    });
  } catch (error) {
    if (error instanceof ReviewNotFoundError) return refusal(requestGone);
    throw error;
  }
  if (!outcome.ok) return newer ? staleReply(deps, newer, agencyId) : refusal(outcome.reason);
  const saved = changed ?? outcome.review;
  deps.log.info({ review: saved.reference, agencyId }, 'scoping return saved');

  // Everyone else's view of the card changes too, after the reply. A failure there leaves the return
  // saved (the next refresh shows it), so it must not turn a saved return into an error for the user.
  const thread = scopingCardOf(saved, agencyId);
  if (thread) {
    deps.background.afterReply(() =>
      deps.background
        .inOrder(thread.activityId, () =>
          deps.messenger.update(
            thread.conversationReference,
            thread.activityId,
            scopingRequestMessage(saved, agencyId, deps),
          ),
        )
        .catch((error: unknown) =>
          deps.log.warn(
            { review: saved.reference, err: { message: (error as Error).message } },
            'card update failed',
          ),
        ),
    );
  }
  // Judged first on the review as saved, so a return with nothing to flag (most) costs no second read.
  if (scopingConcernsToFlag(saved, agencyId).length > 0) {
    deps.background.afterReply(() =>
      flagScopingConcerns(deps, reviewId, agencyId).catch((error: unknown) =>
        deps.log.warn(
          { review: saved.reference, err: { message: (error as Error).message } },
          'scoping flag failed',
        ),
      ),
    );
  }
  const agencyName = agencyOf(saved, agencyId)?.name ?? 'your agency';
  return {
    card: scopingSubmittedCardFor(saved, agencyId, deps),
    notice: `The scoping return of ${agencyName} for ${saved.reference} is saved.`,
  };
}

/**
 * A submission made from an older revision: nothing is saved, and the form comes back with the answers
 * saved since (and their revision), so its author decides what to change on what is really there.
 */
function staleReply(deps: FlowDeps, newer: Review, agencyId: string): ScopingReply {
  const saved = newer.scopingReturns.find((r) => r.agencyId === agencyId);
  const by = saved?.submittedBy?.name ? escapeMarkdown(saved.submittedBy.name) : undefined;
  const message =
    `Not saved: revision ${saved?.revision ?? 0} of this return was saved${by ? ` by ${by}` : ''} ` +
    'after your form was opened. The form now shows those answers: make your changes on them and save again.';
  return {
    card: scopingFormCard(newer, agencyId, deps, { errors: { revision: message } }),
    notice: `${message} Open the card in Teams on the web or the desktop: the answers are not shown here.`,
  };
}

/**
 * A return that says records are not secured or no alert was added is flagged to the business unit:
 * a notice in its channel naming the review by reference only, recorded only after the post
 * succeeded (so a failed post is tried again on the next submission). The rule is
 * review/scopingConcerns.ts; true when a flag was posted.
 */
export async function flagScopingConcerns(
  deps: FlowDeps,
  reviewId: string,
  agencyId: string,
): Promise<boolean> {
  const review = await deps.store.getReview(reviewId);
  if (!review) return false;
  const concerns = scopingConcernsToFlag(review, agencyId);
  if (concerns.length === 0) return false;
  const channelId = deps.settings.businessUnitChannelId;
  const log = deps.log.child({ review: review.reference });
  if (!channelId) {
    log.warn({ agencyId }, 'scoping return needs attention but no business unit channel is set');
    return false;
  }
  // The agency's name as typed on the opening form: Markdown escaped, as on the scoping cards.
  const agencyName = escapeMarkdown(agencyOf(review, agencyId)?.name ?? 'an agency');
  const revision = review.scopingReturns.find((r) => r.agencyId === agencyId)?.revision ?? 0;
  try {
    await deps.messenger.startThread(
      channelId,
      noticeMessage(
        { reference: review.reference, pseudonym: review.reference },
        `${review.reference}: the scoping return of ${agencyName} says ${concerns.join(' and ')}. ` +
          'The procedure asks agencies to do both at once: please follow it up with the agency.',
        [],
        'warning',
      ),
    );
  } catch (error) {
    log.warn({ agencyId, err: { message: (error as Error).message } }, 'scoping flag not posted');
    return false;
  }
  const at = deps.clock.now().toISOString();
  await deps.store.updateReview(reviewId, (current) =>
    recordScopingFlagged(current, { agencyId, concerns, revision }, at),
  );
  return true;
}
