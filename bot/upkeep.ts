/**
 * The running bot's own upkeep, every two minutes: finish any review whose set-up an outage stopped
 * (so the business unit need not wait for a restart) and reconcile meetings whose attendance report
 * Teams had not yet produced when they ended, send notices whose post failed, and once a working day
 * post the disposal dry run for the business unit, and the weekly digest on Monday morning. Open reviews are read once per run, a page at a time,
 * and both read their state from the store, so any number of instances may run them; within one
 * instance a review's set-up never runs twice at once.
 */
import { Cron } from 'croner';
import { retryPendingAttendance } from './flows/meetingAttendance';
import type { FlowDeps } from './flows/deps';
import { postDisposalDueNotice } from './flows/disposalNotice';
import { sendOwedNotices } from './flows/notices';
import { postWeeklyDigest } from './flows/weeklyDigestPost';
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
  /** How many reviews today's disposal dry run listed for the business unit (0: nothing posted). */
  disposalDue: number;
  /** How many reviews the weekly digest posted now listed (null: none posted on this run). */
  weeklyDigest: number | null;
}

export interface Upkeep {
  runOnce(): Promise<UpkeepResult>;
  stop(): void;
}

export async function runUpkeep(deps: FlowDeps): Promise<UpkeepResult> {
  const result: UpkeepResult = {
    resumed: [],
    reconciled: [],
    noticesSent: [],
    disposalDue: 0,
    weeklyDigest: null,
  };
  let afterId: string | undefined;
  for (;;) {
    const page = await deps.store.listReviewPage({
      openOnly: true,
      limit: pageSize,
      ...(afterId === undefined ? {} : { afterId }),
    });
    for (const review of page) {
      // A review whose set-up finished but whose "ready" was never told (a crash, Teams refusing it)
      // is carried on too: set-up finds every step done and tells it.
      if (review.state === 'opened' || review.teamspace.readyOwed) {
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
    if (page.length < pageSize) break;
    afterId = page[page.length - 1].id;
  }
  result.disposalDue = await postDisposalDueNotice(deps).catch((error: unknown) => {
    deps.log.warn({ err: { message: (error as Error).message } }, 'disposal dry run not posted');
    return 0;
  });
  result.weeklyDigest = await postWeeklyDigest(deps).catch((error: unknown) => {
    deps.log.warn({ err: { message: (error as Error).message } }, 'weekly digest not posted');
    return null;
  });
  return result;
}

export function startUpkeep(deps: FlowDeps, cron = '*/2 * * * *', paused = false): Upkeep {
  const job = new Cron(cron, { protect: true, paused }, async () => {
    try {
      await runUpkeep(deps);
    } catch (error) {
      deps.log.warn({ err: { message: (error as Error).message } }, 'upkeep failed');
    }
  });
  return { runOnce: () => runUpkeep(deps), stop: () => job.stop() };
}
