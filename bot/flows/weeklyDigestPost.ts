/**
 * The weekly digest, posted by itself: on Monday morning at the default profile's alert hour (when
 * Monday is a bank holiday, the next working day of that week) the business unit's channel gets the
 * digest `digest` gives on demand — once a week, by reference only, recorded and looked up as every
 * once-per-period post is (businessUnitPost.ts).
 */
import { civilDateInLondon, type CivilDate } from '../../scheduler/civilDate';
import { reviewStatus } from '../../scheduler/reviewStatus';
import { digestText, weeklyDigest, weeklyDigestDue } from '../../scheduler/weeklyDigest';
import { periodPostToken, postOncePerPeriod } from './businessUnitPost';
import type { FlowDeps } from './deps';

export const weeklyDigestPosted = 'digest.weekly.posted';

/** The token this week's digest carries, so it can be found in the channel (no review data in it). */
export function weeklyDigestToken(week: CivilDate): string {
  return periodPostToken('weekly-digest', week);
}

/** Posts this week's digest when it is owed now; answers how many reviews it listed (null: not posted). */
export async function postWeeklyDigest(deps: FlowDeps): Promise<number | null> {
  const profile = deps.profiles.get(deps.settings.defaultProfileId);
  const now = deps.clock.now();
  const week = weeklyDigestDue(profile, now);
  if (week === undefined) return null;
  const posted = await postOncePerPeriod(deps, {
    action: weeklyDigestPosted,
    system: 'weekly digest',
    periodField: 'week',
    period: week,
    token: weeklyDigestToken(week),
    compose: async () => {
      const today = civilDateInLondon(now);
      const views = (await deps.store.listReviews({ openOnly: true })).map((review) =>
        reviewStatus(review, deps.profiles.get(review.profileId), today),
      );
      const digest = weeklyDigest(views, today);
      return { message: { text: digestText(digest) }, detail: { reviews: digest.rows.length } };
    },
  });
  return posted === null ? null : Number(posted.reviews);
}
