/**
 * A post the business unit's channel gets at most once per period (the weekly digest, the disposal
 * dry run). The period's audit line is the record that it went out, written only once Teams has
 * accepted the post. Before posting, the channel is read for the post by a token derived from what
 * it is and its period (no review data), so an instance that died after Teams accepted the post and
 * before the line was written does not post it twice; when Teams cannot be asked, nothing is posted
 * and the next upkeep asks again (unknown is not "absent").
 */
import { createHash } from 'node:crypto';
import type { OutgoingMessage } from '../../review/ports';
import { partnershipAuditId } from '../../review/refusals';
import { civilDateInLondon, type CivilDate } from '../../scheduler/civilDate';
import type { FlowDeps } from './deps';

export interface OncePerPeriodPost {
  /** The audit action recording it (in the partnership's trail). */
  action: string;
  /** Who the audit line says posted it. */
  system: string;
  /** The audit detail field that holds the period, and the period this post is for. */
  periodField: 'week' | 'on';
  period: CivilDate;
  /** What the post carries to be found in the channel (periodPostToken; no review data). */
  token: string;
  /** The message owed now with what its audit line says, or undefined when nothing is owed. */
  compose(): Promise<{ message: OutgoingMessage; detail: Record<string, unknown> } | undefined>;
}

/** The token of what is posted (`kind`) for a period, so it can be found in the channel. */
export function periodPostToken(kind: string, period: CivilDate): string {
  return createHash('sha256').update(`${kind}:${period}`).digest('hex').slice(0, 12);
}

/** A message marked with its token: in a card's fallback text (which Graph returns), else in the text. */
export function withPostToken(message: OutgoingMessage, token: string): OutgoingMessage {
  if (message.card) {
    const fallbackText = `${String(message.card.fallbackText ?? '')} (ref ${token})`.trim();
    return { ...message, card: { ...message.card, fallbackText } };
  }
  return { ...message, text: `${message.text ?? ''}\n\nref ${token}` };
}

/** Posts the period's message when it is owed and not yet posted; answers its audit detail, or null. */
export async function postOncePerPeriod(
  deps: FlowDeps,
  post: OncePerPeriodPost,
): Promise<Record<string, unknown> | null> {
  const channelId = deps.settings.businessUnitChannelId;
  if (!channelId) return null;
  const now = deps.clock.now();
  // Checked once a day per instance; the audit line keeps other instances and restarts from posting.
  const checked = deps.background.ofDay(`${post.action}:checked`, civilDateInLondon(now), () => ({
    done: false,
  }));
  if (checked.done) return null;
  const record = async (detail: Record<string, unknown>) => {
    await deps.store.appendAudit([
      {
        reviewId: partnershipAuditId,
        at: now.toISOString(),
        actor: { system: post.system },
        action: post.action,
        detail: { [post.periodField]: post.period, ...detail },
      },
    ]);
  };
  const trail = await deps.store.auditTrail(partnershipAuditId);
  if (trail.some((line) => line.action === post.action && line.detail?.[post.periodField] === post.period)) {
    checked.done = true;
    return null;
  }
  // Composed first: a day with nothing owed asks Teams nothing.
  const owed = await post.compose();
  if (owed === undefined) {
    checked.done = true;
    return null;
  }
  const { token } = post;
  const teamId = deps.settings.teamId;
  if (teamId && deps.teamspace.findPostedMessage) {
    // Throws when Teams cannot say: then nothing is posted now, and the next upkeep asks again.
    const found = await deps.teamspace.findPostedMessage(teamId, channelId, token);
    if (found !== undefined) {
      // Found in the channel rather than posted now: what it listed then is not known here.
      await record({ activityId: found, foundInChannel: true });
      checked.done = true;
      return null;
    }
  }
  const posted = await deps.messenger.startThread(channelId, withPostToken(owed.message, token));
  // Only now: a post Teams refused is tried again at the next upkeep.
  await record({ activityId: posted.activityId, ...owed.detail });
  checked.done = true;
  return owed.detail;
}
