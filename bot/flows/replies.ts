/**
 * The shapes every flow answers with and the places a turn comes from. They import nothing, so the
 * flows can name them without importing the route table that imports every flow.
 */

/** Where a turn comes from: it decides what may be answered there (see DOMAIN.md, need-to-know). */
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
