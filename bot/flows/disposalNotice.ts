/**
 * The disposal job's dry run, posted for the business unit: once a working day, at the default
 * profile's alert hour, the business unit's channel lists the closed reviews whose retention period
 * has ended. Nothing is removed here — disposal stays an administrator's audited command
 * (`rapid-review dispose`), run once someone has looked at the list. The list names references and
 * dates only, recorded and looked up as every once-per-period post is (businessUnitPost.ts).
 */
import { reviewsDueForDisposal } from '../../review/disposal';
import { isAlertTime } from '../../scheduler/alerts';
import { civilDateInLondon, formatLongDate } from '../../scheduler/civilDate';
import { periodPostToken, postOncePerPeriod } from './businessUnitPost';
import type { FlowDeps } from './deps';
import { noticeMessage } from './meetingChannel';

export const disposalDuePosted = 'disposal.due.posted';

/** Posts today's list when one is owed; answers how many reviews it listed (0: nothing posted). */
export async function postDisposalDueNotice(deps: FlowDeps): Promise<number> {
  const profile = deps.profiles.get(deps.settings.defaultProfileId);
  const now = deps.clock.now();
  if (!isAlertTime(profile, now)) return 0;
  const today = civilDateInLondon(now);
  const posted = await postOncePerPeriod(deps, {
    action: disposalDuePosted,
    system: 'disposal dry run',
    periodField: 'on',
    period: today,
    token: periodPostToken('disposal-due', today),
    compose: async () => {
      const due = await reviewsDueForDisposal(
        {
          store: deps.store,
          retentionYears: (profileId) =>
            deps.profiles.has(profileId) ? deps.profiles.get(profileId).retention.years : null,
        },
        today,
      );
      if (due.length === 0) return undefined;
      const lines = due.map(
        (entry) =>
          `- ${entry.reference}: closed ${formatLongDate(entry.closedOn)}, retention ended ${formatLongDate(entry.dueOn)}`,
      );
      const message = noticeMessage(
        { reference: 'Retention', pseudonym: 'disposal dry run' },
        `${due.length} closed review(s) have reached the end of their retention period:\n\n${lines.join('\n')}\n\n` +
          'Nothing has been removed. When the partnership agrees, an administrator disposes of them with ' +
          '`rapid-review dispose` (audited; a minimal record of each review stays).',
        [],
        'warning',
      );
      return { message, detail: { reviews: due.length } };
    },
  });
  return posted === null ? 0 : Number(posted.reviews);
}
