/**
 * The alert tick: every few minutes each instance works out what every open review owes now, puts it
 * in the outbox (a no-op for what is already there), and posts what it can claim. Any number of
 * instances may tick at once: the outbox's keys and leases keep each alert to one post.
 *
 * After downtime an instance also catches up the working days it did not sweep (at most
 * `catchUpWorkingDays` back): alerts of those days still owed are posted once, marked late, saying
 * which day they belong to. Countdowns are the exception — a stale "working day 6 of 15" is noise
 * beside today's — so earlier days' countdowns are recorded as skipped, not posted and not missed.
 */
import { Cron } from 'croner';
import type { Review } from '../review/model';
import type { PartnershipProfile } from '../review/profile';
import type { Clock, Messenger } from '../review/ports';
import type { ReviewStore } from '../review/store';
import { alertsOn, catchUpAlerts, isAlertTime, type AlertTarget, type DueAlert } from './alerts';
import { civilDateInLondon, londonHour } from './civilDate';
import {
  createAlertDispatcher,
  type AlertRoute,
  type DispatcherLog,
  type DispatchResult,
} from './dispatcher';
import type { AlertOutbox, ClaimedAlert, PostedActivityLookup } from './outbox';
import { londonWallClockToInstant } from './slotFinder';
import { calendarFor, type WorkingDayCalendar } from './workingDayCalendar';

/** Where profiles come from: a ProfileRegistry or a Map. Unknown ids may throw or return undefined. */
export interface ProfileSource {
  get(id: string): PartnershipProfile | undefined;
}

export interface AlertTickOptions {
  store: Pick<ReviewStore, 'listReviews' | 'getReview'>;
  outbox: AlertOutbox;
  profiles: ProfileSource;
  clock: Clock;
  messenger: Pick<Messenger, 'post'>;
  /** Finds an alert already in Teams by its key (see dispatcher.ts for why this is needed). */
  lookup: PostedActivityLookup;
  instanceId: string;
  /** The conversation of the business unit's channel for a review's partnership (given by the bot). */
  resolveTarget: (
    target: Exclude<AlertTarget, 'review-channel'>,
    review: Review,
    profile: PartnershipProfile,
  ) => Promise<unknown | undefined>;
  log?: DispatcherLog;
  /** How many working days back a freshly started instance catches up; default 5. */
  catchUpWorkingDays?: number;
  /** An alert posted more than this long after its hour is marked late; default 60 minutes. */
  lateAfterMinutes?: number;
  leaseMs?: number;
  postTimeoutMs?: number;
  batchSize?: number;
  /** Most claim batches one tick dispatches (see AlertDispatcherOptions.maxBatches). */
  maxBatches?: number;
}

export interface TickResult extends DispatchResult {
  /** Open reviews looked at. */
  reviews: number;
  /** Alerts new to the outbox this tick. */
  enqueued: number;
  /** Earlier countdowns recorded as superseded this tick. */
  superseded: number;
}

export interface AlertTick {
  runOnce(): Promise<TickResult>;
}

/** How long to wait before asking again about a row that cannot go yet for a reason outside us. */
const holdMs = 15 * 60_000;

/** The first moment at or after `now` when the profile's alerts may go out. */
export function nextAlertTime(profile: PartnershipProfile, now: Date, calendar: WorkingDayCalendar): Date {
  if (isAlertTime(profile, now, calendar)) return now;
  const today = civilDateInLondon(now);
  const day =
    calendar.isWorkingDay(today) && londonHour(now) < profile.alerts.hour
      ? today
      : calendar.nextWorkingDay(today);
  return londonWallClockToInstant(day, profile.alerts.hour * 60);
}

export function createAlertTick(options: AlertTickOptions): AlertTick {
  const { store, outbox, clock, log } = options;
  const catchUpWorkingDays = options.catchUpWorkingDays ?? 5;
  const lateAfterMs = (options.lateAfterMinutes ?? 60) * 60_000;
  /** Per profile, the last day this instance swept at alert time: catch-up starts after it. */
  const sweptThrough = new Map<string, string>();
  /** The reviews read by the current tick, for routing what it claims. */
  let current = new Map<string, Review>();

  function profileOf(id: string): PartnershipProfile | undefined {
    try {
      return options.profiles.get(id);
    } catch {
      return undefined;
    }
  }

  async function reviewOf(id: string): Promise<Review | undefined> {
    // A row enqueued by another instance may belong to a review opened after this tick read the list.
    return current.get(id) ?? (await store.getReview(id));
  }

  async function route(row: ClaimedAlert, now: Date): Promise<AlertRoute> {
    const review = await reviewOf(row.reviewId);
    if (!review || review.state === 'closed') return { action: 'withdraw', reason: 'the review is closed' };
    const profile = profileOf(review.profileId);
    if (!profile) {
      return {
        action: 'hold',
        until: new Date(now.getTime() + holdMs),
        reason: `unknown profile ${review.profileId}`,
      };
    }
    const calendar = calendarFor(profile.calendar);
    if (!isAlertTime(profile, now, calendar)) {
      return { action: 'hold', until: nextAlertTime(profile, now, calendar), reason: 'outside alert hours' };
    }
    if (row.kind === 'countdown' && row.dueOn < civilDateInLondon(now)) {
      return { action: 'skip', reason: "superseded by today's countdown" };
    }
    if (!alertsOn(review, profile, row.dueOn, calendar).some((alert) => alert.key === row.key)) {
      return { action: 'withdraw', reason: 'no longer due: the milestone it watched is met' };
    }
    const conversationReference =
      row.target === 'review-channel'
        ? review.teamspace.conversationReference
        : await options.resolveTarget(row.target, review, profile);
    if (conversationReference === undefined || conversationReference === null) {
      return {
        action: 'hold',
        until: new Date(now.getTime() + holdMs),
        reason: `no conversation for the ${row.target} yet`,
      };
    }
    return { action: 'post', conversationReference };
  }

  function isLate(row: ClaimedAlert, sentAt: Date): boolean {
    const review = current.get(row.reviewId);
    const profile = review ? profileOf(review.profileId) : undefined;
    const hourly = londonWallClockToInstant(row.dueOn, (profile?.alerts.hour ?? 0) * 60).getTime();
    // A review opened after the alert hour owes that day's alerts from its opening, not from the hour.
    const opened = review ? new Date(review.openedAt).getTime() : Number.NEGATIVE_INFINITY;
    return sentAt.getTime() - Math.max(hourly, opened) > lateAfterMs;
  }

  const dispatcher = createAlertDispatcher({
    outbox,
    messenger: options.messenger,
    lookup: options.lookup,
    clock,
    instanceId: options.instanceId,
    route,
    isLate,
    ...(options.leaseMs === undefined ? {} : { leaseMs: options.leaseMs }),
    ...(options.postTimeoutMs === undefined ? {} : { postTimeoutMs: options.postTimeoutMs }),
    ...(options.batchSize === undefined ? {} : { batchSize: options.batchSize }),
    ...(options.maxBatches === undefined ? {} : { maxBatches: options.maxBatches }),
    ...(log === undefined ? {} : { log }),
  });

  return {
    async runOnce(): Promise<TickResult> {
      const reviews = await store.listReviews({ openOnly: true });
      const now = clock.now();
      const today = civilDateInLondon(now);
      current = new Map(reviews.map((review) => [review.id, review]));
      const due: DueAlert[] = [];
      const superseded: DueAlert[] = [];
      const swept = new Set<string>();
      for (const review of reviews) {
        const profile = profileOf(review.profileId);
        if (!profile) {
          log?.warn(
            { review: review.reference, profileId: review.profileId },
            'review has an unknown profile',
          );
          continue;
        }
        const calendar = calendarFor(profile.calendar);
        if (!isAlertTime(profile, now, calendar)) continue;
        swept.add(profile.id);
        due.push(...alertsOn(review, profile, today, calendar));
        const last = sweptThrough.get(profile.id);
        const fromDay =
          last === undefined
            ? calendar.addWorkingDays(today, -catchUpWorkingDays)
            : calendar.nextWorkingDay(last);
        if (fromDay < today) {
          const missed = catchUpAlerts(review, profile, now, fromDay, calendar);
          due.push(...missed.due);
          superseded.push(...missed.superseded);
        }
      }
      const enqueued = await outbox.enqueue(due, now);
      const skippedNow = await outbox.recordSkipped(superseded, now, "superseded by a later day's countdown");
      for (const profileId of swept) sweptThrough.set(profileId, today);
      const dispatched = await dispatcher.dispatch();
      return { reviews: reviews.length, enqueued, superseded: skippedNow, ...dispatched };
    },
  };
}

export interface AlertTimer {
  stop(): void;
  /** When the tick runs next (null once stopped). */
  nextRun(): Date | null;
}

/**
 * Runs the tick on a cron schedule (default every 5 minutes). A run still going when the next is due
 * makes the next one wait its turn rather than overlap; a failing run is logged and the timer keeps
 * going, since the next run retries everything the failed one left.
 */
export function startAlertTimer(
  tick: AlertTick,
  options: { cron?: string; clock: Clock; log?: DispatcherLog; onRun?: (result: TickResult) => void },
): AlertTimer {
  const job = new Cron(
    options.cron ?? '*/5 * * * *',
    { timezone: 'Europe/London', protect: true },
    async () => {
      const startedAt = options.clock.now();
      try {
        const result = await tick.runOnce();
        options.onRun?.(result);
      } catch (error) {
        options.log?.warn(
          {
            startedAt: startedAt.toISOString(),
            error: error instanceof Error ? error.message : String(error),
          },
          'alert tick failed',
        );
      }
    },
  );
  return {
    stop: () => job.stop(),
    nextRun: () => job.nextRun(),
  };
}
