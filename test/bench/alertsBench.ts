/**
 * What one alert tick costs at scale: 10,000 open reviews in a throw-away SQLite file, one tick at a
 * quiet moment (every alert already in the outbox, as on every tick but the first of a day), against
 * the time to read those reviews from the store alone — the part no tick can avoid. Also the
 * resident memory with all 10,000 reviews loaded. Exported for `npm run bench` to call.
 */
import { loadProfiles } from '../../review/profile';
import type { Review } from '../../review/model';
import { openScratchDatabase } from '../../scheduler/simulation/database';
import { RecordingMessenger, SimulatedClock } from '../../scheduler/simulation/recordingMessenger';
import { londonWallClockToInstant } from '../../scheduler/slotFinder';
import { createAlertTick } from '../../scheduler/tick';
import { sampleReview } from '../fixtures/sampleReview';

export interface AlertsBenchResult {
  reviews: number;
  /** One tick (read, compute, enqueue, claim) with nothing new to post. */
  tickMs: number;
  /** Reading the open reviews from the store alone. */
  readMs: number;
  /** tickMs / readMs: how much the alert work adds to the unavoidable read. */
  ratio: number;
  /** Resident set size after the tick, with every review loaded. */
  rssMb: number;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
}

export async function benchAlertTick(count = 10_000): Promise<AlertsBenchResult> {
  const db = await openScratchDatabase('sqlite');
  try {
    const { store, outbox } = await db.connect();
    const profiles = loadProfiles();
    const ids = [...profiles.keys()];
    const base = sampleReview();
    for (let i = 0; i < count; i++) {
      const review: Review = {
        ...base,
        id: `bench-${i}`,
        reference: `RR-2026-${String(i + 1).padStart(5, '0')}`,
        profileId: ids[i % ids.length] as string,
        anchors: {
          aware: '2026-12-11',
          referral: '2026-12-14',
          sinSent: '2026-12-14',
          scopingSent: '2026-12-15',
        },
        openedAt: '2026-12-14T10:00:00.000Z',
        teamspace: { ...base.teamspace, conversationReference: { conversation: { id: `channel-${i}` } } },
      };
      await store.createReview(review, []);
    }
    const clock = new SimulatedClock(londonWallClockToInstant('2026-12-22', 9 * 60));
    const teams = new RecordingMessenger(clock);
    const tick = createAlertTick({
      store,
      outbox,
      profiles,
      clock,
      messenger: teams,
      lookup: teams,
      instanceId: 'bench',
      resolveTarget: async () => ({ conversation: { id: 'business-unit' } }),
      batchSize: 500,
      maxBatches: 1_000,
    });
    // The day's first tick posts everything; the ones measured are the steady state that follows.
    await tick.runOnce();
    const tickTimes: number[] = [];
    const readTimes: number[] = [];
    for (let run = 0; run < 3; run++) {
      clock.set(new Date(clock.now().getTime() + 5 * 60_000));
      let started = performance.now();
      await store.listReviews({ openOnly: true });
      readTimes.push(performance.now() - started);
      started = performance.now();
      await tick.runOnce();
      tickTimes.push(performance.now() - started);
    }
    const tickMs = median(tickTimes);
    const readMs = median(readTimes);
    return {
      reviews: count,
      tickMs: Math.round(tickMs),
      readMs: Math.round(readMs),
      ratio: Math.round((tickMs / readMs) * 100) / 100,
      rssMb: Math.round(process.memoryUsage().rss / 1024 / 1024),
    };
  } finally {
    await db.cleanup();
  }
}
