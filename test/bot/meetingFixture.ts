/**
 * Shared steps of the meeting tests and the demo: a review opened and booked through the real bot,
 * the meeting chat as a TeamsClient place, and readers for what the bot posted where.
 */
import path from 'node:path';
import type { RecordedActivity } from '../teamsClient/fakeConnector';
import type { RosterMember } from '../teamsClient/fakeConnector';
import { cardOf, type InvokeResult, type Where } from '../teamsClient/teamsClient';
import { openReviewValues, people, teamId, type Harness } from './harness';
import type { Review } from '../../review/model';

export const teamsAppId = 'c0ffee00-0000-4000-8000-00000000a11c';
export const meetingOrganizer = 'review-meetings@partnership.example';

export type Card = Record<string, unknown>;

export function textOf(value: unknown): string {
  return JSON.stringify(value ?? {});
}

/** The partnership settings a meeting needs; the reports go to the harness's own temporary folder. */
export function useMeetingSettings(h: Harness): { reportsDir: string } {
  const reportsDir = path.join(h.dataDir, 'reports');
  Object.assign(h.app.deps.settings, {
    chair: { name: people.chair.name, email: people.chair.email },
    teamsAppId,
    meetingOrganizer,
    reportsDir,
  });
  return { reportsDir };
}

export async function openReview(h: Harness, overrides: Record<string, string> = {}): Promise<Review> {
  await h.client.act(people.officer, 'review.open', openReviewValues(overrides));
  await h.app.idle();
  const review = await h.app.deps.store.findByReference(overrides.reference ?? 'RR-2026-001');
  if (!review) throw new Error('the review was not opened');
  return review;
}

export function channelOf(review: Review): Extract<Where, { kind: 'channel' }> {
  return { kind: 'channel', channelId: review.teamspace.channelId as string, teamId };
}

export async function reload(h: Harness, review: Review): Promise<Review> {
  const current = await h.app.deps.store.getReview(review.id);
  if (!current) throw new Error('the review has gone');
  return current;
}

/** Everything the bot said in a conversation (a channel and its threads, or a chat) since a mark. */
export function postsIn(h: Harness, conversationId: string, since = 0): RecordedActivity[] {
  return h.connector.activities
    .slice(since)
    .filter((a) => a.conversationId === conversationId || a.conversationId.startsWith(`${conversationId};`));
}

/** The card (or text) of the bot's answer to a message said since `since`. */
export function replyTo(h: Harness, since: number): unknown {
  const reply = h.connector.activities.slice(since).find((a) => a.kind === 'reply');
  const attachments = reply?.activity.attachments as { content?: unknown }[] | undefined;
  return attachments?.[0]?.content ?? reply?.activity.text;
}

/** The data of the Action.Execute with this verb anywhere in a card. */
export function actionData(card: unknown, verb: string): Record<string, unknown> | undefined {
  let found: Record<string, unknown> | undefined;
  const walk = (node: unknown) => {
    if (found || !node || typeof node !== 'object') return;
    if (Array.isArray(node)) return node.forEach(walk);
    const item = node as Record<string, unknown>;
    if (item.type === 'Action.Execute' && item.verb === verb) {
      found = (item.data ?? {}) as Record<string, unknown>;
      return;
    }
    Object.values(item).forEach(walk);
  };
  walk(card);
  return found;
}

export function invokeCard(result: InvokeResult): Card | undefined {
  return cardOf(result);
}

/** Asks for the meeting in the review channel and returns the proposal card. */
export async function askForMeeting(h: Harness, review: Review, who: RosterMember = people.officer) {
  const mark = h.connector.activities.length;
  await h.client.say(who, 'book meeting', channelOf(review));
  return replyTo(h, mark);
}

/** Asks for the meeting, accepts the proposed time and waits for the booking to finish. */
export async function bookProposedMeeting(h: Harness, review: Review): Promise<Review> {
  const proposal = await askForMeeting(h, review);
  const accept = actionData(proposal, 'meeting.accept');
  if (!accept) throw new Error(`no proposal: ${textOf(proposal).slice(0, 400)}`);
  await h.client.act(people.officer, 'meeting.accept', accept, channelOf(review));
  await h.app.idle();
  const booked = await reload(h, review);
  if (booked.meeting?.status !== 'booked') throw new Error('the meeting was not booked');
  return booked;
}

export function meetingChatOf(review: Review): Extract<Where, { kind: 'meeting' }> {
  const chatId = review.meeting?.chatId;
  if (!chatId) throw new Error('the meeting chat is not known');
  return { kind: 'meeting', meetingId: `MCMxOTptZWV0aW5n-${review.reference}`, chatId };
}

/** A day of busy time on a London winter day (GMT, so wall clock = UTC). */
export function busyDay(day: string, from = '09:00', to = '17:00') {
  return { start: `${day}T${from}:00Z`, end: `${day}T${to}:00Z`, status: 'busy' as const };
}

/** Graph requests the sandbox refused (a 4xx from its metadata check or routes). */
/**
 * Graph requests the tenant refused. Asking for the attendance report before Teams has produced it
 * (404 for a while after the meeting ends) is the documented way to find out, so it is not one.
 */
export function refusedGraphRequests(h: Harness) {
  return h.sandbox.requests.filter(
    (r) => r.status >= 400 && r.status < 500 && !(r.status === 404 && /\/attendanceReports$/.test(r.path)),
  );
}
