/**
 * The running bot's own upkeep, every two minutes: finish any review whose set-up an outage stopped
 * (so the business unit need not wait for a restart) and reconcile meetings whose attendance report
 * Teams had not yet produced when they ended. Both read their state from the store, so any number of
 * instances may run them; within one instance a review's set-up never runs twice at once.
 */
import { Cron } from 'croner';
import { reconcilePendingAttendance } from './flows/meetingAttendance';
import type { FlowDeps } from './flows/deps';
import { resumeProvisioning } from './flows/provisionReview';

export interface Upkeep {
  runOnce(): Promise<{ resumed: string[]; reconciled: string[] }>;
  stop(): void;
}

export function startUpkeep(deps: FlowDeps, cron = '*/2 * * * *'): Upkeep {
  const runOnce = async () => {
    const resumed = await resumeProvisioning(deps);
    const { reconciled } = await reconcilePendingAttendance(deps);
    return { resumed, reconciled };
  };
  const job = new Cron(cron, { protect: true }, async () => {
    try {
      await runOnce();
    } catch (error) {
      deps.log.warn({ err: { message: (error as Error).message } }, 'upkeep failed');
    }
  });
  return { runOnce, stop: () => job.stop() };
}
