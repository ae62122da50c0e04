/** The turn every handler is given; apart from routes.ts so flows can name it without a cycle. */
import type { Actor } from '../../review/lifecycle';
import type { FlowDeps } from './deps';
import type { Place } from './replies';

/**
 * One turn, resolved once before any handler: who is speaking, where, and which review that place
 * belongs to (the review channel's own review, or the review whose meeting chat this is).
 */
export interface Turn {
  deps: FlowDeps;
  actor: Actor;
  place: Place;
  reviewId?: string;
  /** The text as typed (a reason keeps its case), without the bot's @mention. */
  rawText: string;
  /** Lower case, single spaces, trimmed: what patterns match. */
  text: string;
  /** The conversation reference of the turn (for replies that start background work). */
  origin: unknown;
}
