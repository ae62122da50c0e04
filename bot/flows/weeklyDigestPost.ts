/**
 * The weekly digest, posted by itself: on Monday morning at the default profile's alert hour (when
 * Monday is a bank holiday, the next working day of that week) the business unit's channel gets the
 * digest `digest` gives on demand — once a week, by reference only. The post is recorded in the
 * partnership's audit trail only once Teams has accepted it; before posting, the channel is read for
 * this week's digest by the token it carries, so an instance that died after Teams accepted the post
 * and before the record does not post it twice.
 */
import { createHash } from 'node:crypto';
import { partnershipAuditId } from '../../review/refusals';
import { civilDateInLondon, type CivilDate } from '../../scheduler/civilDate';
import { reviewStatus } from '../../scheduler/reviewStatus';
import { digestText, weeklyDigest, weeklyDigestDue } from '../../scheduler/weeklyDigest';
import type { FlowDeps } from './deps';

export const weeklyDigestPosted = 'digest.weekly.posted';

/** The token this week's digest carries, so it can be found in the channel (no review data in it). */
export function weeklyDigestToken(week: CivilDate): string {
  return createHash('sha256').update(`weekly-digest:${week}`).digest('hex').slice(0, 12);
}

/** Posts this week's digest when it is owed now; answers how many reviews it listed (null: not posted). */
export async function postWeeklyDigest(deps: FlowDeps): Promise<number | null> {
  const channelId = deps.settings.businessUnitChannelId;
  if (!channelId) return null;
  const profile = deps.profiles.get(deps.settings.defaultProfileId);
  const now = deps.clock.now();
  const week = weeklyDigestDue(profile, now);
  if (week === undefined) return null;
  // Checked once a day per instance; the audit line keeps other instances and restarts from posting.
  const checked = deps.background.ofDay('weekly-digest-checked', civilDateInLondon(now), () => ({
    done: false,
  }));
  if (checked.done) return null;
  const trail = await deps.store.auditTrail(partnershipAuditId);
  if (trail.some((line) => line.action === weeklyDigestPosted && line.detail?.week === week)) {
    checked.done = true;
    return null;
  }
  const token = weeklyDigestToken(week);
  const teamId = deps.settings.teamId;
  if (teamId && deps.teamspace.findPostedMessage) {
    // Throws when Teams cannot say: then nothing is posted now, and the next upkeep asks again.
    const found = await deps.teamspace.findPostedMessage(teamId, channelId, token);
    if (found !== undefined) {
      await record(deps, now, week, null, found);
      checked.done = true;
      return null;
    }
  }
  const today = civilDateInLondon(now);
  const views = (await deps.store.listReviews({ openOnly: true })).map((review) =>
    reviewStatus(review, deps.profiles.get(review.profileId), today),
  );
  const digest = weeklyDigest(views, today);
  const posted = await deps.messenger.startThread(channelId, {
    text: `${digestText(digest)}\n\ndigest ref ${token}`,
  });
  // Only now: a post Teams refused is tried again at the next upkeep.
  await record(deps, now, week, digest.rows.length, posted.activityId);
  checked.done = true;
  return digest.rows.length;
}

async function record(
  deps: FlowDeps,
  now: Date,
  week: CivilDate,
  reviews: number | null,
  activityId: string,
): Promise<void> {
  await deps.store.appendAudit([
    {
      reviewId: partnershipAuditId,
      at: now.toISOString(),
      actor: { system: 'weekly digest' },
      action: weeklyDigestPosted,
      // Found in the channel rather than posted now: how many it listed is not known here.
      detail: { week, activityId, ...(reviews === null ? { foundInChannel: true } : { reviews }) },
    },
  ]);
}
