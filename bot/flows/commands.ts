/**
 * What the bot understands, by place. Text commands and card verbs map one-to-one to small flow
 * functions; the place decides what may be answered there (subject details only in the review's own
 * channel, the portfolio only for the business unit).
 */
import type { Actor } from '../../review/lifecycle';
import type { FlowDeps } from './deps';
import { openReviewFormReply, submitOpenReview } from './openReview';
import { scopingCardView, submitScopingReturnFlow } from './scopingReturn';
import { portfolioReply, reviewChannelStatusReply, reviewStatusReply } from './status';
import { reviewRecordCommand } from './reviewRecords';
import { helpReply, refusalReply } from './presenters';
import { meetingCardAction, meetingTextCommand } from './meetingCommands';
import { refuseCardAction } from './refusals';

export type Place =
  | { kind: 'personal' }
  | { kind: 'business-unit-channel' }
  | { kind: 'review-channel'; reviewId: string }
  | { kind: 'meeting-chat'; meetingId: string }
  | { kind: 'other-channel' }
  | { kind: 'group-chat' };

/** A reply: a card, or text. */
export interface CardReply {
  card?: Record<string, unknown>;
  text?: string;
}

export function cardResponse(reply: CardReply) {
  return reply.card
    ? {
        type: 'message',
        attachments: [{ contentType: 'application/vnd.microsoft.card.adaptive', content: reply.card }],
      }
    : { type: 'message', text: reply.text ?? '' };
}

/** Places where the open-review form (which collects the subject's details) may be shown. */
function mayOpenReviewHere(place: Place): boolean {
  return place.kind === 'personal' || place.kind === 'business-unit-channel';
}

export async function textCommand(
  deps: FlowDeps,
  rawText: string,
  actor: Actor,
  place: Place,
  origin: unknown,
): Promise<CardReply> {
  const text = rawText.toLowerCase().replace(/\s+/g, ' ').trim();
  if (text === 'open review' || text === 'open' || text === 'open a review' || text === 'new review') {
    if (!mayOpenReviewHere(place)) {
      return refusalReply(
        'Reviews are opened in a 1:1 chat with me or in the business unit’s own channel, so that the ' +
          'child’s details are never shown where agency representatives can read them.',
      );
    }
    return openReviewFormReply(deps, actor, place);
  }
  const named = /^status (rr-\d{4}-\d{3,})$/.exec(text);
  if (named || text === 'portfolio') {
    if (place.kind !== 'personal' && place.kind !== 'business-unit-channel') return helpReply(place.kind);
    if (!actor.businessUnit) return refusalReply('The portfolio of reviews is for the business unit only.');
    if (!named) return portfolioReply(deps);
    // The business unit's places get the review's status without the subject's details (the status
    // card never carries them), so naming a review here is safe.
    const review = await deps.store.findByReference(named[1].toUpperCase());
    if (!review) return refusalReply(`There is no review ${named[1].toUpperCase()}.`);
    return reviewStatusReply(deps, review.id);
  }
  if (text === 'status') {
    if (place.kind === 'review-channel') return reviewChannelStatusReply(deps, place.reviewId, actor);
    if (place.kind === 'personal' || place.kind === 'business-unit-channel') {
      if (!actor.businessUnit) return refusalReply('The portfolio of reviews is for the business unit only.');
      return portfolioReply(deps);
    }
    return helpReply(place.kind);
  }
  const recordsReply = await reviewRecordCommand(deps, text, actor, place, rawText);
  if (recordsReply) return recordsReply;
  const meetingReply = await meetingTextCommand(deps, rawText, actor, place, origin);
  if (meetingReply) return meetingReply;
  return helpReply(place.kind);
}

export async function routeCardAction(
  deps: FlowDeps,
  verb: string,
  data: Record<string, unknown>,
  actor: Actor,
  place: Place,
  origin: unknown,
): Promise<CardReply> {
  const reviewId = typeof data.reviewId === 'string' ? data.reviewId : '';
  const agencyId = typeof data.agencyId === 'string' ? data.agencyId : '';
  switch (verb) {
    case 'review.open':
      if (!mayOpenReviewHere(place)) return refusalReply('Open reviews from a 1:1 chat with me.');
      return submitOpenReview(deps, data, actor, origin, place);
    case 'scopingReturn.refresh':
      return scopingCardView(deps, reviewId, agencyId, actor);
    case 'scopingReturn.submit':
      return submitScopingReturnFlow(deps, reviewId, agencyId, data, actor);
    default:
      return (
        (await meetingCardAction(deps, verb, data, actor)) ??
        refuseCardAction(
          deps,
          { code: 'unknown-verb', reason: `This card action ('${verb}') is not one I know.` },
          verb,
          data,
          actor,
          place,
        )
      );
  }
}
