/**
 * What one alert tick costs at scale: 10,000 open reviews in a throw-away SQLite file, one tick at a
 * quiet moment (every alert already in the outbox, as on every tick but the first of a day), against
 * the time to read those reviews from the store alone — the part no tick can avoid. Also the
 * resident memory with all 10,000 reviews open, after the ticks. Exported for `npm run bench` to call.
 *
 * The read is timed the way the tick reads: page after page, each page dropped before the next.
 * Then the first tick of a freshly started instance, which has no memory of earlier ticks (the sweeps
 * are in the store), and, after the memory figure, the same reviews read in one listReviews call.
 */
import { execFileSync } from 'node:child_process';
import { loadProfiles } from '../../review/profile';
import type { Review } from '../../review/model';
import type { Messenger, OutgoingMessage } from '../../review/ports';
import { openSqliteStore } from '../../review/sqliteStore';
import type { ReviewStore } from '../../review/store';
import { alertToken, alertTokenIn } from '../../scheduler/dispatcher';
import type { PostedActivityLookup } from '../../scheduler/outbox';
import { openScratchDatabase } from '../../scheduler/simulation/database';
import { SimulatedClock } from '../../scheduler/simulation/recordingMessenger';
import { londonWallClockToInstant } from '../../scheduler/slotFinder';
import { createAlertTick, defaultAlertPageSize, type AlertTickOptions } from '../../scheduler/tick';
import { sampleReview } from '../fixtures/sampleReview';

export interface AlertsBenchResult {
  reviews: number;
  /** One tick (read, compute, enqueue, claim) with nothing new to post. */
  tickMs: number;
  /** Reading the open reviews from the store alone, page by page as the tick reads them. */
  readMs: number;
  /** tickMs / readMs: how much the alert work adds to the unavoidable read. */
  ratio: number;
  /** Resident set size after the ticks, with every review open, once the heap has settled. */
  rssMb: number;
  /** Of which the JavaScript heap in use, after a full collection (when --expose-gc allows one). */
  heapUsedMb: number;
  /** Memory outside the JavaScript heap that JavaScript objects hold (buffers, SQLite's own is not in it). */
  externalMb: number;
  /** Alerts the first tick posted (every alert of the day and the five days caught up). */
  firstTickPosts: number;
  /** The first tick of a freshly started instance: nothing new to post. */
  freshInstanceTickMs: number;
  /** The first ticks of two more instances started after it, in the same process. */
  laterFreshInstanceTickMs: number[];
  /** The same reviews in one listReviews call, for comparison with readMs. */
  readAllAtOnceMs: number;
}

/**
 * Teams as the tick sees it: it takes posts, gives each an activity id, and finds a posted alert by
 * its key (as the Graph look-up does in production). Unlike the simulation's RecordingMessenger it
 * keeps no copy of each message: in production those live in Teams, and the first tick's 40,000 of
 * them held in this process would be counted as the bot's own memory.
 */
class TeamsStandIn implements Pick<Messenger, 'post'>, PostedActivityLookup {
  posts = 0;
  private readonly byToken = new Map<string, string>();

  async post(_conversationReference: unknown, message: OutgoingMessage): Promise<{ activityId: string }> {
    this.posts += 1;
    const activityId = `activity-${this.posts}`;
    const token = alertTokenIn(message.text ?? '');
    if (token !== undefined && !this.byToken.has(token)) this.byToken.set(token, activityId);
    return { activityId };
  }

  async findByKey(key: string): Promise<string | undefined> {
    return this.byToken.get(alertToken(key));
  }
}

/**
 * Lets the heap settle before the resident memory is read, as it does between two ticks (five minutes
 * apart): two full collections (the first after heavy work frees pages the second can give back), then
 * half a second for V8's unmapper thread to hand the freed pages to the system. Without any collection
 * V8's own memory reducer gets there or lower once the process idles (measured: 196 MB right after the
 * tick, 113 MB about 30 s later); a bare single collection read at once still counts the freed pages.
 */
async function settleHeap(): Promise<void> {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) return;
  gc();
  gc();
  await new Promise((resolve) => setTimeout(resolve, 500));
}

function hundredths(ms: number): number {
  return Math.round(ms * 100) / 100;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
}

/** Every open review, a page at a time, as the tick reads them; returns how many. */
async function readOpenReviews(store: ReviewStore, pageSize: number): Promise<number> {
  let count = 0;
  let afterId: string | undefined;
  for (;;) {
    const page = await store.listReviewPage({
      openOnly: true,
      limit: pageSize,
      ...(afterId === undefined ? {} : { afterId }),
    });
    count += page.length;
    const last = page[page.length - 1];
    if (page.length < pageSize || last === undefined) return count;
    afterId = last.id;
  }
}

/**
 * Opens `count` reviews in the SQLite file at `path`, as months of a partnership's work would have.
 * The bench runs it in a process of its own: the memory a process keeps after writing 10,000 reviews
 * in one go is the set-up's, not that of a bot with 10,000 reviews open.
 */
export async function openBenchReviews(path: string, count: number): Promise<void> {
  const store = openSqliteStore({ path });
  try {
    const ids = [...loadProfiles().keys()];
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
  } finally {
    await store.close();
  }
}

export async function benchAlertTick(count = 10_000): Promise<AlertsBenchResult> {
  const db = await openScratchDatabase('sqlite');
  try {
    const script = `require(${JSON.stringify(__filename)}).openBenchReviews(${JSON.stringify(db.where)}, ${count})`;
    execFileSync(process.execPath, ['-e', script], { stdio: 'inherit' });
    const { store, outbox } = await db.connect();
    const profiles = loadProfiles();
    const clock = new SimulatedClock(londonWallClockToInstant('2026-12-22', 9 * 60));
    const teams = new TeamsStandIn();
    const tickOptions = (instanceId: string): AlertTickOptions => ({
      store,
      outbox,
      profiles,
      clock,
      messenger: teams,
      lookup: teams,
      instanceId,
      resolveTarget: async () => ({ conversation: { id: 'business-unit' } }),
      batchSize: 500,
      maxBatches: 1_000,
    });
    const tick = createAlertTick(tickOptions('bench'));
    // The day's first tick posts everything; the ones measured are the steady state that follows.
    await tick.runOnce();
    const firstTickPosts = teams.posts;
    if (firstTickPosts === 0) throw new Error('the first tick posted nothing: nothing was measured');
    const tickTimes: number[] = [];
    const readTimes: number[] = [];
    for (let run = 0; run < 3; run++) {
      clock.set(new Date(clock.now().getTime() + 5 * 60_000));
      let started = performance.now();
      const read = await readOpenReviews(store, defaultAlertPageSize);
      readTimes.push(performance.now() - started);
      started = performance.now();
      const result = await tick.runOnce();
      tickTimes.push(performance.now() - started);
      // A quiet tick reads only the reviews due (none: every review was swept today, none changed).
      if (read !== count || result.reviews !== 0 || result.enqueued !== 0 || result.claimed !== 0) {
        throw new Error(`not a quiet tick over ${count} reviews: read ${read}, ${JSON.stringify(result)}`);
      }
    }
    // A freshly started instance, measured as the quiet ticks are (at once after them, before the heap
    // is left to settle: after half a second idle the first tick, quiet or fresh, takes 0.65–1 ms
    // against ~0.5). The first instance is the figure; two more after it are shown beside it.
    const freshTimes: number[] = [];
    for (let instance = 1; instance <= 3; instance++) {
      const started = performance.now();
      const fresh = await createAlertTick(tickOptions(`fresh-${instance}`)).runOnce();
      freshTimes.push(performance.now() - started);
      if (fresh.enqueued !== 0 || fresh.claimed !== 0) {
        throw new Error(`a fresh instance found new alerts: ${JSON.stringify(fresh)}`);
      }
    }
    await settleHeap();
    const memory = process.memoryUsage();
    const rssMb = Math.round(memory.rss / 1024 / 1024);
    const heapUsedMb = Math.round(memory.heapUsed / 1024 / 1024);
    const externalMb = Math.round(memory.external / 1024 / 1024);

    const freshInstanceTickMs = freshTimes[0] as number;
    const started = performance.now();
    await store.listReviews({ openOnly: true });
    const readAllAtOnceMs = performance.now() - started;

    const tickMs = median(tickTimes);
    const readMs = median(readTimes);
    return {
      reviews: count,
      // To the hundredth of a millisecond: a quiet tick reads no review and takes well under one.
      tickMs: hundredths(tickMs),
      readMs: Math.round(readMs),
      ratio: Math.round((tickMs / readMs) * 100) / 100,
      rssMb,
      heapUsedMb,
      externalMb,
      firstTickPosts,
      freshInstanceTickMs: hundredths(freshInstanceTickMs),
      laterFreshInstanceTickMs: freshTimes.slice(1).map(hundredths),
      readAllAtOnceMs: Math.round(readAllAtOnceMs),
    };
  } finally {
    await db.cleanup();
  }
}
