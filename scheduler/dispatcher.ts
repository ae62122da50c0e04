/**
 * Takes alerts out of the outbox and posts them to Teams, once each, with any number of instances.
 *
 * Why no alert is ever posted twice — the whole argument, since a Teams post cannot be undone:
 *
 * 1. Only one instance at a time may post a row. A claim is an atomic lease (outbox.claim), and an
 *    attempt may start only while its holder's lease is unexpired (markSending is conditional on
 *    claimed_by and lease_until, and renews the lease). A post is cut off after `postTimeoutMs`,
 *    which must be well inside the lease, so by the time a lease runs out its holder has either
 *    finished or abandoned its post.
 * 2. The one window no local bookkeeping can close is "Teams accepted the post, then the process died
 *    before markSent" (or the response was lost, or the call timed out). Writing the activity id
 *    "before the HTTP call returns" is not possible (the id arrives with the response), and a ledger
 *    written in the claim's transaction only says an attempt began, not whether it landed; Teams
 *    does not let a bot choose the id of a new message either, so a retry cannot be made an update
 *    of "the same" message. Only Teams knows. So every alert carries its outbox key into Teams (a
 *    short token derived from the key, at the end of the text: alertMarker), markSending counts the
 *    attempt before the post starts, and a row claimed with attempts > 0 — one whose earlier attempt
 *    may have landed — is first looked up in Teams by that token (PostedActivityLookup). Found: it is
 *    marked sent with the id found, and not posted again. Not found: no earlier attempt landed (by
 *    point 1 none is still in flight), so posting is safe.
 * 3. markSent never overwrites a sent row, so a slow original holder and a reconciling instance
 *    agree on the first activity.
 *
 * Nothing is lost either: a row leaves the outbox only as sent, or as skipped/withdrawn with a
 * reason; a failed attempt is retried with exponential backoff, a dead holder's row is reclaimed when
 * its lease runs out. The guarantee rests on the lookup reading Teams itself with read-your-writes
 * (the simulation's recording messenger; in production, the review thread's replies read through
 * Graph), and on instance clocks agreeing to well within the lease.
 */
import { createHash } from 'node:crypto';
import type { Clock, Messenger, OutgoingMessage } from '../review/ports';
import { formatShortDate, civilDateInLondon } from './civilDate';
import {
  backoffMs,
  cannotTell,
  type AlertOutbox,
  type ClaimedAlert,
  type PostedActivityLookup,
} from './outbox';

/** What to do with one claimed row, decided by whoever knows the review (the tick). */
export type AlertRoute =
  | { action: 'post'; conversationReference: unknown }
  /** Not now (e.g. outside the alert hours, or the channel is not set up yet): claimable again from `until`. */
  | { action: 'hold'; until: Date; reason: string }
  /** Never to be posted: a countdown superseded by a later one. */
  | { action: 'skip'; reason: string }
  /** No longer owed: its milestone was met, or the review closed. */
  | { action: 'withdraw'; reason: string };

export interface DispatchResult {
  claimed: number;
  sent: number;
  late: number;
  /** Rows an earlier attempt had posted after all, found in Teams and marked sent without posting. */
  reconciled: number;
  failed: number;
  held: number;
  skipped: number;
  withdrawn: number;
  /** Claims lost to another instance before an attempt could start (nothing posted). */
  lost: number;
}

export interface DispatcherLog {
  info(fields: Record<string, unknown>, message: string): void;
  warn(fields: Record<string, unknown>, message: string): void;
}

export interface AlertDispatcherOptions {
  outbox: AlertOutbox;
  messenger: Pick<Messenger, 'post'>;
  lookup: PostedActivityLookup;
  clock: Clock;
  instanceId: string;
  route: (row: ClaimedAlert, now: Date) => Promise<AlertRoute>;
  /** Whether a post at `sentAt` is late for its row. */
  isLate: (row: ClaimedAlert, sentAt: Date) => boolean | Promise<boolean>;
  /** How long a claim holds; default 2 minutes. */
  leaseMs?: number;
  /** Longest a post may take before it is abandoned; default 30 s, and less than a third of the lease. */
  postTimeoutMs?: number;
  batchSize?: number;
  /** Most batches one dispatch takes, so one call never runs unbounded; default 40. */
  maxBatches?: number;
  backoff?: (attempts: number) => number;
  log?: DispatcherLog;
}

export interface AlertDispatcher {
  dispatch(): Promise<DispatchResult>;
}

/** The short token an alert carries into Teams, derived from its outbox key (no review data in it). */
export function alertToken(key: string): string {
  return createHash('sha256').update(key).digest('hex').slice(0, 12);
}

const markerPattern = /\balert ref ([0-9a-f]{12})\b/;

/** The line that ends every alert, so the alert can be found in Teams by its key. */
export function alertMarker(key: string): string {
  return `alert ref ${alertToken(key)}`;
}

/** The token in a posted text, if it is an alert. */
export function alertTokenIn(text: string): string | undefined {
  return markerPattern.exec(text)?.[1];
}

/** The message for a row: an alert of an earlier day says which day it belongs to. */
export function alertMessage(
  row: Pick<ClaimedAlert, 'key' | 'dueOn' | 'text' | 'mentions' | 'link'>,
  now: Date,
): OutgoingMessage {
  const earlier =
    row.dueOn < civilDateInLondon(now) ? `Catching up (alert for ${formatShortDate(row.dueOn)}): ` : '';
  const text = `${earlier}${row.text}\n\n${alertMarker(row.key)}`;
  if (row.link) {
    // A card alone, so the button shows under the words in one message; it carries the marker too.
    return {
      card: {
        type: 'AdaptiveCard',
        $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
        version: '1.5',
        fallbackText: `${earlier}${row.text}`,
        body: [
          { type: 'TextBlock', text: `${earlier}${row.text}`, wrap: true },
          { type: 'TextBlock', text: alertMarker(row.key), isSubtle: true, size: 'Small', wrap: true },
        ],
        actions: [{ type: 'Action.OpenUrl', title: row.link.title, url: row.link.url }],
      },
    };
  }
  return {
    text,
    ...(row.mentions.length > 0 ? { mentions: row.mentions } : {}),
  };
}

class PostTimeoutError extends Error {
  constructor(ms: number) {
    super(`the post did not finish within ${ms} ms (it may still have landed)`);
    this.name = 'PostTimeoutError';
  }
}

function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new PostTimeoutError(ms)), ms);
    timer.unref();
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

/**
 * Lets the event loop turn between rows. With a synchronous database (SQLite) a whole dispatch would
 * otherwise run as one turn: the bot sharing the process could answer no one until it ended (the
 * first tick after downtime may post thousands of alerts), and what a turn allocates is kept until
 * the turn ends, which grew the heap by hundreds of megabytes on such a tick.
 */
export function nextTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

function messageOf(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

export function createAlertDispatcher(options: AlertDispatcherOptions): AlertDispatcher {
  const leaseMs = options.leaseMs ?? 120_000;
  const postTimeoutMs = options.postTimeoutMs ?? 30_000;
  const batchSize = options.batchSize ?? 50;
  const maxBatches = options.maxBatches ?? 40;
  const backoff = options.backoff ?? ((attempts: number) => backoffMs(attempts));
  if (postTimeoutMs * 3 > leaseMs) {
    throw new Error(`postTimeoutMs (${postTimeoutMs}) must be under a third of leaseMs (${leaseMs})`);
  }
  const { outbox, instanceId, clock, log } = options;

  async function deliver(row: ClaimedAlert, result: DispatchResult): Promise<void> {
    if (row.attempts > 0) {
      // An earlier attempt may have landed: Teams decides, not our bookkeeping.
      const found = await options.lookup.findByKey(row.key);
      if (found === cannotTell) {
        // Teams cannot be asked (a 1:1 chat is not readable without reading every chat in the
        // tenant): a second copy is worse than a nudge that may be missing, so it is not sent again.
        await outbox.settle(
          row.key,
          instanceId,
          'skipped',
          'an earlier attempt may have reached Teams and the chat cannot be read back: not sent again',
        );
        result.skipped += 1;
        return;
      }
      if (found !== undefined) {
        const now = clock.now();
        const late = await options.isLate(row, now);
        await outbox.markSent(row.key, found, now, late);
        result.reconciled += 1;
        return;
      }
    }
    const now = clock.now();
    const route = await options.route(row, now);
    switch (route.action) {
      case 'hold':
        await outbox.release(row.key, instanceId, route.until, route.reason);
        result.held += 1;
        return;
      case 'skip':
        await outbox.settle(row.key, instanceId, 'skipped', route.reason);
        result.skipped += 1;
        return;
      case 'withdraw':
        await outbox.settle(row.key, instanceId, 'withdrawn', route.reason);
        result.withdrawn += 1;
        return;
      case 'post':
        break;
    }
    if (!(await outbox.markSending(row.key, instanceId, now, leaseMs))) {
      result.lost += 1;
      return;
    }
    let activityId: string;
    try {
      ({ activityId } = await withTimeout(
        options.messenger.post(route.conversationReference, alertMessage(row, now)),
        postTimeoutMs,
      ));
    } catch (error) {
      const next = new Date(clock.now().getTime() + backoff(row.attempts + 1));
      await outbox.markFailed(row.key, messageOf(error), next);
      result.failed += 1;
      log?.warn(
        { key: row.key, attempt: row.attempts + 1, retryAt: next.toISOString() },
        'alert post failed',
      );
      return;
    }
    const sentAt = clock.now();
    const late = await options.isLate(row, sentAt);
    await outbox.markSent(row.key, activityId, sentAt, late);
    result.sent += 1;
    if (late) result.late += 1;
  }

  return {
    async dispatch(): Promise<DispatchResult> {
      const result: DispatchResult = {
        claimed: 0,
        sent: 0,
        late: 0,
        reconciled: 0,
        failed: 0,
        held: 0,
        skipped: 0,
        withdrawn: 0,
        lost: 0,
      };
      for (let batch = 0; batch < maxBatches; batch++) {
        const rows = await outbox.claim(instanceId, clock.now(), batchSize, leaseMs);
        const claimed = rows.length;
        result.claimed += claimed;
        // Each row is let go once delivered, so a large batch does not keep every claimed row (its
        // text and mentions) alive until the last one is posted.
        for (let row = rows.shift(); row !== undefined; row = rows.shift()) {
          await deliver(row, result);
          await nextTurn();
        }
        if (claimed < batchSize) break;
      }
      if (result.claimed > 0) log?.info({ instanceId, ...result }, 'alerts dispatched');
      return result;
    },
  };
}
