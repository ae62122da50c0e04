/**
 * What the bot understands, by place: the turn's types and the entry points that run the route table
 * (routes.ts). The place decides what may be answered there (subject details only in the review's own
 * channel, the portfolio only for the business unit).
 */
import { isStorableText, unstorableCharacterMessage } from '../../review/storableText';
import type { Actor } from '../../review/lifecycle';
import type { FlowDeps } from './deps';
import type { CardReply, Place } from './replies';
import { helpPlaces } from '../../cards/conversationCards';
import { cardVerbs } from '../../cards/verbs';
import { helpReply, refusalReply } from './presenters';
import { refuseCardAction } from './refusals';
import { isGreeting } from '../../review/questions';
import { greetingReply, notUnderstoodReply } from './questions';
import {
  cardRoutes,
  commandWordsIn,
  helpCommandsIn,
  helpRoute,
  matchRoute,
  placesAccepting,
  resolveTurn,
} from './routes';

export function cardResponse(reply: CardReply) {
  return reply.card
    ? {
        type: 'message',
        attachments: [{ contentType: 'application/vnd.microsoft.card.adaptive', content: reply.card }],
      }
    : { type: 'message', text: reply.text ?? '' };
}

/**
 * A text command: the turn is resolved once (actor, place, review), then the route table decides.
 * Anything no route accepts here gets where it works instead, or the help of this place.
 */
export async function textCommand(
  deps: FlowDeps,
  rawText: string,
  actor: Actor,
  place: Place,
  origin: unknown,
): Promise<CardReply> {
  // A reason, a report part or a date typed here may be saved: text no store can hold is refused first.
  if (!isStorableText(rawText)) return refusalReply(`The message m${unstorableCharacterMessage.slice(1)}.`);
  const turn = await resolveTurn(deps, actor, place, rawText, origin);
  if (helpRoute.pattern.test(turn.text)) return placeHelp(place);
  const found = matchRoute(place.kind, turn.text);
  if (found) {
    if (found.route.businessUnitOnly && !actor.businessUnit)
      return refusalReply(found.route.businessUnitOnly);
    return found.route.handle(turn, found.match);
  }
  const elsewhere = placesAccepting(turn.text);
  if (elsewhere.length > 0) return refusalReply(worksElsewhere(elsewhere));
  const kind = helpPlaces.find((p) => p === place.kind) ?? 'personal';
  const commands = commandWordsIn(kind);
  if (isGreeting(turn.text)) return greetingReply(turn, commands);
  return notUnderstoodReply(turn.rawText, commands);
}

/** The help of a place; places with no commands of their own get the 1:1 chat's. */
function placeHelp(place: Place): CardReply {
  const kind = helpPlaces.find((p) => p === place.kind) ?? 'personal';
  return helpReply(kind, helpCommandsIn(kind));
}

const placeWords: Record<Place['kind'], string> = {
  personal: 'a 1:1 chat with me',
  'business-unit-channel': 'the business unit’s channel',
  'review-channel': 'the review’s own channel',
  'meeting-chat': 'the review meeting’s chat',
  'other-channel': 'another channel',
  'group-chat': 'a group chat',
};

function worksElsewhere(places: Place['kind'][]): string {
  const names = places.map((p) => placeWords[p]);
  const list = names.length > 1 ? `${names.slice(0, -1).join(', ')} or ${names[names.length - 1]}` : names[0];
  return `That works in ${list}, not here: what is said here reaches only the people of this place.`;
}

export async function routeCardAction(
  deps: FlowDeps,
  verb: string,
  data: Record<string, unknown>,
  actor: Actor,
  place: Place,
  origin: unknown,
): Promise<CardReply> {
  const route = cardRoutes.find((r) => r.verb === verb);
  if (!route) {
    const refused = {
      code: 'unknown-verb',
      reason: `This card action ('${verb}') is not one I know.`,
    } as const;
    return refuseCardAction(deps, refused, verb, data, actor, place);
  }
  if (route.places && !route.places.includes(place.kind)) {
    return refusalReply(
      verb === cardVerbs.openReview
        ? 'Open reviews from a 1:1 chat with me.'
        : worksElsewhere([...route.places]),
    );
  }
  if (route.businessUnitOnly && !actor.businessUnit) return refusalReply(route.businessUnitOnly);
  const turn = await resolveTurn(deps, actor, place, '', origin);
  if (route.ofThePlacesReview && (turn.reviewId === undefined || data.reviewId !== turn.reviewId)) {
    // A copy of another review's card (forwarded, or crafted): acting on it here would change that
    // review from a place whose people are not its people, and answer them about it.
    const refused = {
      code: 'wrong-place',
      reason: 'This card belongs to another review: use it in that review’s own channel.',
    } as const;
    return refuseCardAction(deps, refused, verb, data, actor, place);
  }
  return route.handle(turn, data);
}
