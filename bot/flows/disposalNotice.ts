/**
 * The disposal job's dry run, posted for the business unit: once a working day, at the default
 * profile's alert hour, the business unit's channel lists the closed reviews whose retention period
 * has ended. Nothing is removed here — disposal stays an administrator's audited command
 * (`rapid-review dispose`), run once someone has looked at the list. The list names references and
 * dates only, and is recorded in the partnership's audit trail only once Teams has accepted it.
 */
import { reviewsDueForDisposal } from '../../review/disposal';
import { partnershipAuditId } from '../../review/refusals';
import { isAlertTime } from '../../scheduler/alerts';
import { civilDateInLondon, formatLongDate } from '../../scheduler/civilDate';
import type { FlowDeps } from './deps';
import { noticeMessage } from './meetingChannel';

export const disposalDuePosted = 'disposal.due.posted';

/** Posts today's list when one is owed; answers how many reviews it listed (0: nothing posted). */
export async function postDisposalDueNotice(deps: FlowDeps): Promise<number> {
  const channelId = deps.settings.businessUnitChannelId;
  if (!channelId) return 0;
  const profile = deps.profiles.get(deps.settings.defaultProfileId);
  const now = deps.clock.now();
  if (!isAlertTime(profile, now)) return 0;
  const today = civilDateInLondon(now);
  // Checked once a day per instance; the audit line keeps instances and restarts from posting twice.
  const checked = deps.background.ofDay('disposal-due-checked', today, () => ({ done: false }));
  if (checked.done) return 0;
  const trail = await deps.store.auditTrail(partnershipAuditId);
  if (trail.some((line) => line.action === disposalDuePosted && line.detail?.on === today)) {
    checked.done = true;
    return 0;
  }
  const due = await reviewsDueForDisposal(
    {
      store: deps.store,
      retentionYears: (profileId) =>
        deps.profiles.has(profileId) ? deps.profiles.get(profileId).retention.years : null,
    },
    today,
  );
  if (due.length === 0) {
    checked.done = true;
    return 0;
  }
  const lines = due.map(
    (entry) =>
      `- ${entry.reference}: closed ${formatLongDate(entry.closedOn)}, retention ended ${formatLongDate(entry.dueOn)}`,
  );
  await deps.messenger.startThread(
    channelId,
    noticeMessage(
      { reference: 'Retention', pseudonym: 'disposal dry run' },
      `${due.length} closed review(s) have reached the end of their retention period:\n\n${lines.join('\n')}\n\n` +
        'Nothing has been removed. When the partnership agrees, an administrator disposes of them with ' +
        '`rapid-review dispose` (audited; a minimal record of each review stays).',
      [],
      'warning',
    ),
  );
  await deps.store.appendAudit([
    {
      reviewId: partnershipAuditId,
      at: now.toISOString(),
      actor: { system: 'disposal dry run' },
      action: disposalDuePosted,
      detail: { on: today, reviews: due.length },
    },
  ]);
  // Only now: a post Teams refused is tried again at the next upkeep.
  checked.done = true;
  return due.length;
}
