/**
 * Refused attempts that change nothing still leave an audit line (who, what, where, why — never the
 * values sent): tampered card data, opening a review from outside the business unit, asking for a
 * review's status from outside it.
 */
import { isSubmittedValue } from '../../cards/formFields';
import { cardVerbs } from '../../cards/verbs';
import type { Actor } from '../../review/lifecycle';
import { refusedAttemptAudit, type RefusalCode } from '../../review/refusals';
import type { CardReply } from './replies';
import type { FlowDeps } from './deps';
import { refusalReply } from './presenters';

const knownVerbs: ReadonlySet<string> = new Set(Object.values(cardVerbs));

/** A card action refused before any flow ran, and why. */
export interface CardActionRefusal {
  code: RefusalCode;
  reason: string;
}

/** Records the refused attempt, then answers with the refusal. */
export async function refuseAttempt(
  deps: FlowDeps,
  attempt: {
    actor: Actor;
    action: string;
    code: RefusalCode;
    place: string;
    reviewId?: string;
    refusedValues?: number;
  },
  reason: string,
): Promise<CardReply> {
  // Only a review that exists gets the line in its own trail: an id sent by a client is not trusted.
  const review = attempt.reviewId ? await deps.store.getReview(attempt.reviewId) : undefined;
  await deps.store.appendAudit([
    refusedAttemptAudit({
      ...attempt,
      reviewId: review?.id,
      at: deps.clock.now().toISOString(),
    }),
  ]);
  deps.log.warn({ action: attempt.action, reason: attempt.code, place: attempt.place }, 'attempt refused');
  return refusalReply(reason);
}

/** A card action refused by the bot's checks of where it came from and what it carries. */
export function refuseCardAction(
  deps: FlowDeps,
  refused: CardActionRefusal,
  verb: unknown,
  data: unknown,
  actor: Actor,
  place: { kind: string },
): Promise<CardReply> {
  const named = data && typeof data === 'object' ? (data as Record<string, unknown>).reviewId : undefined;
  return refuseAttempt(
    deps,
    {
      actor,
      action: typeof verb === 'string' && knownVerbs.has(verb) ? verb : 'card-action',
      code: refused.code,
      place: place.kind,
      ...(refused.code === 'wrong-place' && typeof named === 'string' ? { reviewId: named } : {}),
    },
    refused.reason,
  );
}

/** How many submitted values are not what a card sends (text, a number, true or false). */
export function valuesNotText(values: Record<string, unknown>): number {
  return Object.keys(values).filter((field) => !isSubmittedValue(values[field])).length;
}
