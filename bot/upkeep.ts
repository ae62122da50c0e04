/**
 * The running bot's own upkeep, every two minutes: finish any review whose set-up an outage stopped
 * (so the business unit need not wait for a restart) and reconcile meetings whose attendance report
 * Teams had not yet produced when they ended, and send notices whose post failed. Open reviews are read once per run, a page at a time,
 * and both read their state from the store, so any number of instances may run them; within one
 * instance a review's set-up never runs twice at once.
 */
import { Cron } from 'croner';
import { retryPendingAttendance } from './flows/meetingAttendance';
import type { FlowDeps } from './flows/deps';
import { sendOwedNotices } from './flows/notices';
import { setUpReview } from './flows/provisionReview';

/** Reviews read per page: memory stays one page whatever the number of open reviews. */
const pageSize = 200;

export interface UpkeepResult {
  /** References of reviews whose set-up this run finished. */
  resumed: string[];
  /** References of meetings whose attendance this run reconciled. */
  reconciled: string[];
  /** References of reviews that sent notices they owed. */
  noticesSent: string[];
}

export interface Upkeep {
  runOnce(): Promise<UpkeepResult>;
  stop(): void;
}

export async function runUpkeep(deps: FlowDeps): Promise<UpkeepResult> {
  const result: UpkeepResult = { resumed: [], reconciled: [], noticesSent: [] };
  let afterId: string | undefined;
  for (;;) {
    const page = await deps.store.listReviewPage({
      openOnly: true,
      limit: pageSize,
      ...(afterId === undefined ? {} : { afterId }),
    });
    for (const review of page) {
      if (review.state === 'opened') {
        const after = await setUpReview(deps, review.id, { resuming: true });
        if (after && after.state !== 'opened') result.resumed.push(review.reference);
      } else if ((await retryPendingAttendance(deps, review)) === 'reconciled') {
        result.reconciled.push(review.reference);
      }
      // A notice whose post failed is owed until it goes.
      if ((await sendOwedNotices(deps, review).catch(() => [])).length > 0) {
        result.noticesSent.push(review.reference);
      }
    }
    if (page.length < pageSize) return result;
    afterId = page[page.length - 1].id;
  }
}

export function startUpkeep(deps: FlowDeps, cron = '*/2 * * * *'): Upkeep {
  const job = new Cron(cron, { protect: true }, async () => {
    try {
      await runUpkeep(deps);
    } catch (error) {
      deps.log.warn({ err: { message: (error as Error).message } }, 'upkeep failed');
    }
  });
  return { runOnce: () => runUpkeep(deps), stop: () => job.stop() };
}
