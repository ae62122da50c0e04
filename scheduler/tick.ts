/**
 * The alert tick: every few minutes each instance works out what every open review owes now, puts it
 * in the outbox (a no-op for what is already there), and posts what it can claim. Any number of
 * instances may tick at once: the outbox's keys and leases keep each alert to one post.
 *
 * After downtime an instance also catches up the working days it did not sweep (at most
 * `catchUpWorkingDays` back): alerts of those days still owed are posted once, marked late, saying
 * which day they belong to. Countdowns are the exception — a stale "working day 6 of 15" is noise
 * beside today's — so earlier days' countdowns are recorded as skipped, not posted and not missed.
 *
 * Each review's sweep is recorded with it (the store's alert sweep state): the last day whose alerts
 * are all in the outbox, and the next day anything can be due. A tick reads only the open reviews due
 * by today (through an index) — those not swept since they last changed, and those whose next day has
 * come — a page at a time, and catches each one up from its own last sweep; so a quiet tick reads
 * almost nothing, and a freshly started instance does not work out again what others already did.
 */
import { createHash } from 'node:crypto';
import { Cron } from 'croner';
import type { Review } from '../review/model';
import type { PartnershipProfile } from '../review/profile';
import type { Clock, Messenger } from '../review/ports';
import type { AlertSweep, ReviewStore } from '../review/store';
import { alertsOn, catchUpAlerts, isAlertTime, type AlertTarget, type DueAlert } from './alerts';
import { isNudgeKind, nudgesOn } from './nudges';
import { civilDateInLondon, londonHour, type CivilDate } from './civilDate';
import {
  createAlertDispatcher,
  nextTurn,
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
  /** Every profile id (a ProfileRegistry): lets the tick see a profile's settings change. */
  ids?(): string[];
  /** Every profile id (a Map). */
  keys?(): Iterable<string>;
}

export interface AlertTickOptions {
  store: Pick<ReviewStore, 'listAlertsDue' | 'markAlertsSwept' | 'recordAlertSettings' | 'getReview'>;
  outbox: AlertOutbox;
  profiles: ProfileSource;
  clock: Clock;
  messenger: Pick<Messenger, 'post'>;
  /** Finds an alert already in Teams by its key (see dispatcher.ts for why this is needed). */
  lookup: PostedActivityLookup;
  instanceId: string;
  /**
   * The conversation of the business unit's channel for a review's partnership, or of a nudge's
   * recipient's 1:1 chat with the bot (given by the bot, which may install the app for the person
   * first). Throwing holds the row and asks again later.
   */
  resolveTarget: (
    target: Exclude<AlertTarget, 'review-channel'>,
    review: Review,
    profile: PartnershipProfile,
    row: ClaimedAlert,
  ) => Promise<unknown | undefined>;
  /** Whether to work out nudges (1:1 messages; scheduler/nudges.ts): only where they can be delivered. */
  nudges?: boolean;
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
  /** Open reviews read at a time: a tick holds one page of reviews in memory, never all (default 50). */
  pageSize?: number;
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

/**
 * Open reviews per page of a sweep. Small on purpose: a page and the alerts worked out from it are
 * gone before the garbage collector's next young-generation pass, so they never reach the old
 * generation (whose growth is what stays resident); reading 50 rows by primary key costs no more per
 * review than reading 500.
 */
export const defaultAlertPageSize = 50;

/** How long to wait before asking again about a row that cannot go yet for a reason outside us. */
const holdMs = 15 * 60_000;
/** Most reviews kept at once for routing claimed rows: rows are claimed in key order, so grouped by review. */
const maxRoutedReviews = 2;

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

/** A review read to route claimed rows, with the alert keys it owes on each day asked about. */
interface RoutedReview {
  review: Review;
  owedOn: Map<CivilDate, Set<string>>;
}

/** How one profile's reviews are swept on one tick. */
interface ProfileSweep {
  profile: PartnershipProfile;
  calendar: WorkingDayCalendar;
  /** The earliest earlier working day a review is caught up from (catchUpWorkingDays back). */
  earliest: CivilDate;
  /** The next day on which anything can be due: alerts exist only on working days. */
  nextDue: CivilDate;
}

/**
 * A profile's settings as a short fingerprint: equal settings mean equal alerts, whatever object
 * holds them; recorded by the store, so a change of settings makes the profile's reviews due again.
 */
function settingsFingerprint(profile: PartnershipProfile): string {
  return createHash('sha256').update(JSON.stringify(profile)).digest('base64url').slice(0, 22);
}

/** The first earlier working day a review still owes alerts for, or null when it owes none. */
function catchUpFromFor(
  sweep: ProfileSweep,
  today: CivilDate,
  sweptOn: CivilDate | undefined,
): CivilDate | null {
  const after = sweptOn === undefined ? sweep.earliest : sweep.calendar.nextWorkingDay(sweptOn);
  const from = after > sweep.earliest ? after : sweep.earliest;
  return from < today ? from : null;
}

export function createAlertTick(options: AlertTickOptions): AlertTick {
  const { store, outbox, clock, log } = options;
  const catchUpWorkingDays = options.catchUpWorkingDays ?? 5;
  const lateAfterMs = (options.lateAfterMinutes ?? 60) * 60_000;
  const pageSize = options.pageSize ?? defaultAlertPageSize;
  /** The settings fingerprint this instance last recorded per profile (see recordAlertSettings). */
  const recordedSettings = new Map<string, string>();
  /** Reviews read to route the rows this tick claimed (a few at a time, read when first needed). */
  const routing = new Map<string, RoutedReview | undefined>();

  function profileOf(id: string): PartnershipProfile | undefined {
    try {
      return options.profiles.get(id);
    } catch {
      return undefined;
    }
  }

  async function routedReview(id: string): Promise<RoutedReview | undefined> {
    // Read at routing time, so a milestone met or a review closed since the sweep is seen.
    if (routing.has(id)) return routing.get(id);
    const review = await store.getReview(id);
    const routed = review && { review, owedOn: new Map<CivilDate, Set<string>>() };
    if (routing.size >= maxRoutedReviews) routing.clear();
    routing.set(id, routed);
    return routed;
  }

  async function reviewOf(id: string): Promise<Review | undefined> {
    return (await routedReview(id))?.review;
  }

  /** Whether the review still owes the row's alert (worked out once per review and day). */
  function stillOwed(routed: RoutedReview, row: ClaimedAlert, profile: PartnershipProfile): boolean {
    let owed = routed.owedOn.get(row.dueOn);
    if (owed === undefined) {
      const calendar = calendarFor(profile.calendar);
      owed = new Set(
        [
          ...alertsOn(routed.review, profile, row.dueOn, calendar),
          ...nudgesOn(routed.review, profile, row.dueOn, calendar),
        ].map((alert) => alert.key),
      );
      routed.owedOn.set(row.dueOn, owed);
    }
    return owed.has(row.key);
  }

  async function route(row: ClaimedAlert, now: Date): Promise<AlertRoute> {
    const routed = await routedReview(row.reviewId);
    const review = routed?.review;
    if (!routed || !review || review.state === 'closed') {
      return { action: 'withdraw', reason: 'the review is closed' };
    }
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
    if (isNudgeKind(row.kind) && row.dueOn < civilDateInLondon(now)) {
      // "Due tomorrow" read a day late is wrong, and a nudge is a nudge on its day or not at all.
      return { action: 'skip', reason: 'a nudge is sent on its own day only' };
    }
    if (!stillOwed(routed, row, profile)) {
      return { action: 'withdraw', reason: 'no longer due: the milestone it watched is met' };
    }
    let conversationReference: unknown;
    try {
      conversationReference =
        row.target === 'review-channel'
          ? review.teamspace.conversationReference
          : await options.resolveTarget(row.target, review, profile, row);
    } catch (error) {
      return {
        action: 'hold',
        until: new Date(now.getTime() + holdMs),
        reason: `no conversation for the ${row.target}: ${error instanceof Error ? error.message : String(error)}`,
      };
    }
    if (conversationReference === undefined || conversationReference === null) {
      return {
        action: 'hold',
        until: new Date(now.getTime() + holdMs),
        reason: `no conversation for the ${row.target} yet`,
      };
    }
    return { action: 'post', conversationReference };
  }

  async function isLate(row: ClaimedAlert, sentAt: Date): Promise<boolean> {
    const review = await reviewOf(row.reviewId);
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

  /** This tick's sweep of a profile, or undefined when its alerts may not go out now. */
  function sweepOf(profile: PartnershipProfile, now: Date, today: CivilDate): ProfileSweep | undefined {
    const calendar = calendarFor(profile.calendar);
    if (!isAlertTime(profile, now, calendar)) return undefined;
    return {
      profile,
      calendar,
      earliest: calendar.addWorkingDays(today, -catchUpWorkingDays),
      nextDue: calendar.nextWorkingDay(today),
    };
  }

  /** Makes a profile's reviews due again when its settings changed since they were swept. */
  async function recordSettings(): Promise<void> {
    const source = options.profiles;
    const ids = source.ids ? source.ids() : source.keys ? [...source.keys()] : [];
    for (const id of ids) {
      const profile = profileOf(id);
      if (!profile) continue;
      const fingerprint = settingsFingerprint(profile);
      if (recordedSettings.get(id) === fingerprint) continue;
      await store.recordAlertSettings(id, fingerprint);
      recordedSettings.set(id, fingerprint);
    }
  }

  return {
    async runOnce(): Promise<TickResult> {
      const now = clock.now();
      const today = civilDateInLondon(now);
      routing.clear();
      await recordSettings();
      /** This tick's sweep of each profile met, by profile id: undefined outside its alert hours. */
      const sweeps = new Map<string, ProfileSweep | undefined>();
      const unknownProfiles = new Set<string>();
      let reviews = 0;
      let enqueued = 0;
      let superseded = 0;
      let after: { dueOn: string; id: string } | undefined;
      // Page by page, each page's alerts enqueued before the next is read: memory stays one page.
      for (;;) {
        const page = await store.listAlertsDue({
          dueBy: today,
          limit: pageSize,
          ...(after === undefined ? {} : { after }),
        });
        reviews += page.length;
        const due: DueAlert[] = [];
        const skipped: DueAlert[] = [];
        const worked: AlertSweep[] = [];
        for (const { review, sweptOn } of page) {
          if (!sweeps.has(review.profileId)) {
            const profile = profileOf(review.profileId);
            sweeps.set(review.profileId, profile && sweepOf(profile, now, today));
            if (!profile) unknownProfiles.add(review.profileId);
          }
          if (unknownProfiles.has(review.profileId)) {
            log?.warn(
              { review: review.reference, profileId: review.profileId },
              'review has an unknown profile',
            );
            continue;
          }
          const sweep = sweeps.get(review.profileId);
          if (!sweep) continue;
          due.push(...alertsOn(review, sweep.profile, today, sweep.calendar));
          // Nudges are not caught up: one is only worth sending on its own day.
          if (options.nudges) due.push(...nudgesOn(review, sweep.profile, today, sweep.calendar));
          const catchUpFrom = catchUpFromFor(sweep, today, sweptOn);
          if (catchUpFrom !== null) {
            const missed = catchUpAlerts(review, sweep.profile, now, catchUpFrom, sweep.calendar);
            due.push(...missed.due);
            skipped.push(...missed.superseded);
          }
          worked.push({ id: review.id, version: review.version, sweptOn: today, dueOn: sweep.nextDue });
        }
        enqueued += await outbox.enqueue(due, now);
        superseded += await outbox.recordSkipped(skipped, now, "superseded by a later day's countdown");
        // Only now that the outbox holds them may these reviews be left out of later ticks.
        await store.markAlertsSwept(worked);
        const last = page[page.length - 1];
        if (page.length < pageSize || last === undefined) break;
        after = { dueOn: last.dueOn, id: last.review.id };
        await nextTurn();
      }
      const dispatched = await dispatcher.dispatch();
      return { reviews, enqueued, superseded, ...dispatched };
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
  options: {
    cron?: string;
    clock: Clock;
    log?: DispatcherLog;
    onRun?: (result: TickResult) => void;
    /** Never runs on its own (tests on a clock of their own run the tick themselves). */
    paused?: boolean;
  },
): AlertTimer {
  const job = new Cron(
    options.cron ?? '*/5 * * * *',
    { timezone: 'Europe/London', protect: true, paused: options.paused ?? false },
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
