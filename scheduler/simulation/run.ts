/**
 * The alert simulation: N scripted reviews over D simulated days, a fake clock stepping every half
 * hour, K tick instances sharing one database (each with its own connection), a recording Teams, and
 * instances killed at random moments — between ticks, right after a claim, and between a post
 * landing in Teams and markSent — then restarted a while later.
 *
 * Afterwards it recomputes, from the day-by-day history of every review, which alerts were due and
 * when, and checks them against what Teams received: duplicates (an alert shown twice), missed (due,
 * still owed at the end, never shown), and posts outside a working day's alert hours.
 */
import type { Review } from '../../review/model';
import type { PartnershipProfile } from '../../review/profile';
import type { ReviewStore } from '../../review/store';
import { alertsOn, isAlertTime, type AlertKind } from '../alerts';
import { civilDateInLondon, addCalendarDays, type CivilDate } from '../civilDate';
import { alertToken } from '../dispatcher';
import type { AlertOutbox, OutboxRow } from '../outbox';
import { londonWallClockToInstant } from '../slotFinder';
import { createAlertTick, type AlertTick } from '../tick';
import { calendarFor } from '../workingDayCalendar';
import { openScratchDatabase, type InstanceConnection, type StoreKind } from './database';
import { RecordingMessenger, SimulatedClock } from './recordingMessenger';
import { buildScenario, seededRandom, type ScriptedReview } from './scenario';

export interface SimulationOptions {
  reviews: number;
  days: number;
  instances: number;
  start: CivilDate;
  store: StoreKind;
  seed: number;
  profiles: readonly PartnershipProfile[];
  databaseUrl?: string;
  stepMinutes?: number;
  /** Chances of a kill: per instance per step, per claim, and per post (between landing and markSent). */
  killChance?: { perStep: number; afterClaim: number; afterPost: number };
  /** Chance that a post fails in Teams (and is retried with backoff). */
  failChance?: number;
  onDay?: (day: CivilDate, index: number) => void;
}

export interface SentAlert {
  review: string;
  key: string;
  at: string;
}

export interface SimulationReport {
  store: StoreKind;
  reviews: number;
  days: number;
  instances: number;
  start: CivilDate;
  seed: number;
  sent: SentAlert[];
  /** Alerts due at some point, by the day-by-day history. */
  due: number;
  /** Due, still owed at the end of the run, and never posted. */
  missed: number;
  /** Extra posts of an alert already posted. */
  duplicates: number;
  late: number;
  /** Earlier days' countdowns superseded by a later one after downtime (recorded, not posted). */
  skipped: number;
  /** Of those, countdowns skipped on a day an instance was up at alert time (should be none). */
  skippedWhileUp: number;
  /** Due once, but their milestone was met before they could be posted (e.g. during downtime). */
  withdrawn: number;
  /** Posts on a weekend, a bank holiday, a closure day, or before the partnership's alert hour. */
  outsideAlertTime: number;
  /** Posts of alerts that were never due by the history. */
  unexpected: number;
  /** Posts containing a child's or family member's name or an address. */
  identifying: number;
  /** Alerts found already in Teams after a kill, marked sent without posting again. */
  reconciled: number;
  failedPosts: number;
  kills: { betweenTicks: number; afterClaim: number; betweenPostAndMarkSent: number };
  sentByKind: Partial<Record<AlertKind, number>>;
  missedKeys: string[];
  seconds: number;
}

class InstanceKilled extends Error {
  constructor(reason: string) {
    super(`instance killed ${reason}`);
    this.name = 'InstanceKilled';
  }
}

interface Fuse {
  alive: boolean;
}

/** The outbox as one instance sees it: dead once its fuse blows, and able to die at chosen moments. */
function killableOutbox(
  outbox: AlertOutbox,
  fuse: Fuse,
  random: () => number,
  chance: { afterClaim: number; afterPost: number },
  kills: SimulationReport['kills'],
): AlertOutbox {
  const guard = () => {
    if (!fuse.alive) throw new InstanceKilled('earlier');
  };
  const die = (reason: string): never => {
    fuse.alive = false;
    throw new InstanceKilled(reason);
  };
  return {
    enqueue: async (...args) => (guard(), outbox.enqueue(...args)),
    recordSkipped: async (...args) => (guard(), outbox.recordSkipped(...args)),
    claim: async (...args) => {
      guard();
      const rows = await outbox.claim(...args);
      if (rows.length > 0 && random() < chance.afterClaim) {
        kills.afterClaim += 1;
        die('right after a claim');
      }
      return rows;
    },
    markSending: async (...args) => (guard(), outbox.markSending(...args)),
    markSent: async (...args) => {
      guard();
      // Called only after Teams accepted the post: dying here is the case reconciliation exists for.
      if (random() < chance.afterPost) {
        kills.betweenPostAndMarkSent += 1;
        die('between the post and markSent');
      }
      return outbox.markSent(...args);
    },
    markFailed: async (...args) => (guard(), outbox.markFailed(...args)),
    release: async (...args) => (guard(), outbox.release(...args)),
    settle: async (...args) => (guard(), outbox.settle(...args)),
    get: async (...args) => (guard(), outbox.get(...args)),
    list: async (...args) => (guard(), outbox.list(...args)),
    stats: async () => (guard(), outbox.stats()),
    close: async () => outbox.close(),
  };
}

interface Instance {
  name: string;
  generation: number;
  fuse: Fuse;
  connection?: InstanceConnection;
  tick?: AlertTick;
  /** Step at which a dead instance comes back. */
  restartAt: number;
}

interface ExpectedAlert {
  key: string;
  reviewId: string;
  kind: AlertKind;
  dueOn: CivilDate;
  /** Steps at which the history shows it due and an instance completed a tick. */
  dueWhileUp: boolean;
}

export async function runSimulation(options: SimulationOptions): Promise<SimulationReport> {
  const began = Date.now();
  const stepMs = (options.stepMinutes ?? 30) * 60_000;
  const killChance = options.killChance ?? { perStep: 0.004, afterClaim: 0.01, afterPost: 0.004 };
  const failChance = options.failChance ?? 0.003;
  const random = seededRandom(options.seed ^ 0x5eed);
  const profiles = new Map(options.profiles.map((profile) => [profile.id, profile]));
  const scripts = buildScenario({
    reviews: options.reviews,
    days: options.days,
    start: options.start,
    seed: options.seed,
    profiles: options.profiles,
  });
  const database = await openScratchDatabase(options.store, {
    ...(options.databaseUrl === undefined ? {} : { databaseUrl: options.databaseUrl }),
  });
  const clock = new SimulatedClock(londonWallClockToInstant(options.start, 0));
  const teams = new RecordingMessenger(clock);
  const kills: SimulationReport['kills'] = { betweenTicks: 0, afterClaim: 0, betweenPostAndMarkSent: 0 };
  let reconciled = 0;
  let failedPosts = 0;

  try {
    // The business unit's own connection: it opens reviews and records what happens; never killed.
    const desk = await database.connect();
    const history = new Map<string, { at: Date; review: Review }[]>();
    const current = new Map<string, Review>();
    const expected = new Map<string, ExpectedAlert>();
    const restricted = scripts.flatMap((script) => script.restricted);

    const instances: Instance[] = Array.from({ length: options.instances }, (_, i) => ({
      name: `instance-${i + 1}`,
      generation: 0,
      fuse: { alive: false },
      restartAt: 0,
    }));

    const start = async (instance: Instance) => {
      instance.generation += 1;
      instance.fuse = { alive: true };
      const connection = await database.connect();
      instance.connection = connection;
      const messenger = {
        post: async (reference: unknown, message: Parameters<RecordingMessenger['post']>[1]) => {
          if (!instance.fuse.alive) throw new InstanceKilled('earlier');
          if (random() < failChance) teams.failNext += 1;
          return teams.post(reference, message);
        },
      };
      instance.tick = createAlertTick({
        store: connection.store,
        outbox: killableOutbox(connection.outbox, instance.fuse, random, killChance, kills),
        profiles,
        clock,
        messenger,
        lookup: teams,
        instanceId: `${instance.name}#${instance.generation}`,
        resolveTarget: async (_target, _review, profile) => ({
          conversation: { id: `business-unit-${profile.id}` },
        }),
      });
    };

    const kill = async (instance: Instance, step: number) => {
      instance.fuse.alive = false;
      instance.tick = undefined;
      await instance.connection?.close();
      instance.connection = undefined;
      instance.restartAt = step + 1 + Math.floor(random() * 8);
    };

    for (const instance of instances) await start(instance);

    const pending = scripts.map((script) => ({ script, opened: false, next: 0 }));
    const record = (review: Review, at: Date) => {
      current.set(review.id, review);
      history.set(review.id, [...(history.get(review.id) ?? []), { at, review }]);
    };
    const applyDue = async (now: Date) => {
      for (const item of pending) {
        const { script } = item;
        if (!item.opened) {
          if (script.openAt > now) continue;
          record(await desk.store.createReview(script.review, []), script.openAt);
          item.opened = true;
        }
        while (item.next < script.changes.length && (script.changes[item.next]?.at as Date) <= now) {
          const change = script.changes[item.next] as ScriptedReview['changes'][number];
          item.next += 1;
          const outcome = await updateOrThrow(desk.store, script.review.id, change.apply);
          record(outcome, change.at);
        }
      }
    };

    const totalSteps = Math.ceil((options.days * 24 * 60 * 60_000) / stepMs);
    const first = londonWallClockToInstant(options.start, 0).getTime();
    let lastDay = '';
    const drainSteps = 3;
    for (let step = 0; step < totalSteps + drainSteps; step++) {
      // The last few steps, five minutes apart after the last half hour, only drain what is in
      // flight: everyone up, nobody killed.
      const draining = step >= totalSteps;
      const now = new Date(
        draining
          ? first + (totalSteps - 1) * stepMs + (step - totalSteps + 1) * 5 * 60_000
          : first + step * stepMs,
      );
      clock.set(now);
      const today = civilDateInLondon(now);
      if (today !== lastDay) {
        options.onDay?.(today, Math.round((now.getTime() - first) / 86_400_000));
        lastDay = today;
      }
      await applyDue(now);

      for (const instance of instances) {
        if (!instance.fuse.alive && (draining || step >= instance.restartAt)) await start(instance);
        else if (instance.fuse.alive && !draining && random() < killChance.perStep) {
          kills.betweenTicks += 1;
          await kill(instance, step);
        }
      }
      const runs = await Promise.allSettled(
        instances.map(async (instance) => {
          const tick = instance.tick;
          if (!tick || !instance.fuse.alive) return false;
          const result = await tick.runOnce();
          reconciled += result.reconciled;
          failedPosts += result.failed;
          return true;
        }),
      );
      let completed = false;
      for (const [index, run] of runs.entries()) {
        const instance = instances[index] as Instance;
        if (run.status === 'fulfilled') completed ||= run.value;
        else if (run.reason instanceof InstanceKilled || !instance.fuse.alive) await kill(instance, step);
        else throw run.reason;
      }
      if (draining && !completed) throw new Error('no instance completed a tick while draining');

      // The history's own view of what is due now, independent of any instance.
      for (const review of current.values()) {
        const profile = profiles.get(review.profileId) as PartnershipProfile;
        if (!isAlertTime(profile, now)) continue;
        for (const alert of alertsOn(review, profile, today)) {
          const known = expected.get(alert.key);
          if (known) known.dueWhileUp ||= completed;
          else {
            expected.set(alert.key, {
              key: alert.key,
              reviewId: alert.reviewId,
              kind: alert.kind,
              dueOn: alert.dueOn,
              dueWhileUp: completed,
            });
          }
        }
      }
    }

    const rows = new Map<string, OutboxRow>((await desk.outbox.list()).map((row) => [row.key, row]));
    const keyOfToken = new Map<string, string>();
    for (const key of [...rows.keys(), ...expected.keys()]) keyOfToken.set(alertToken(key), key);
    const referenceOf = new Map(scripts.map((script) => [script.review.id, script.review.reference]));

    const sent: SentAlert[] = [];
    const postsByKey = new Map<string, number>();
    let outsideAlertTime = 0;
    let unexpected = 0;
    let identifying = 0;
    const sentByKind: SimulationReport['sentByKind'] = {};
    for (const post of teams.posts) {
      if (restricted.some((text) => post.text.includes(text) || post.mentions.includes(text)))
        identifying += 1;
      const key = post.token === undefined ? undefined : keyOfToken.get(post.token);
      if (key === undefined) {
        unexpected += 1;
        continue;
      }
      postsByKey.set(key, (postsByKey.get(key) ?? 0) + 1);
      const row = rows.get(key);
      const review = current.get(key.slice(0, key.indexOf(':')));
      const profile = review ? profiles.get(review.profileId) : undefined;
      if (!profile || !isAlertTime(profile, post.at)) outsideAlertTime += 1;
      if (!expected.has(key)) unexpected += 1;
      if (row) sentByKind[row.kind] = (sentByKind[row.kind] ?? 0) + 1;
      sent.push({ review: referenceOf.get(row?.reviewId ?? '') ?? '?', key, at: post.at.toISOString() });
    }
    const duplicates = [...postsByKey.values()].reduce((sum, n) => sum + n - 1, 0);

    let missed = 0;
    let skipped = 0;
    let skippedWhileUp = 0;
    let withdrawn = 0;
    const missedKeys: string[] = [];
    for (const alert of expected.values()) {
      if (postsByKey.has(alert.key)) continue;
      const review = current.get(alert.reviewId) as Review;
      const profile = profiles.get(review.profileId) as PartnershipProfile;
      if (alert.kind === 'countdown' && rows.get(alert.key)?.status === 'skipped') {
        // A countdown belongs to its own day only: unsent, it must have been superseded (recorded
        // as skipped), and only because no instance could post it that day.
        skipped += 1;
        if (alert.dueWhileUp) skippedWhileUp += 1;
        continue;
      }
      if (!alertsOn(review, profile, alert.dueOn).some((a) => a.key === alert.key)) {
        // No longer owed by the final state: its milestone was met (or the review closed) before it
        // could be posted.
        withdrawn += 1;
        continue;
      }
      missed += 1;
      if (missedKeys.length < 20)
        missedKeys.push(`${alert.key} (${rows.get(alert.key)?.status ?? 'never queued'})`);
    }

    return {
      store: options.store,
      reviews: options.reviews,
      days: options.days,
      instances: options.instances,
      start: options.start,
      seed: options.seed,
      sent: sent.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : a.key < b.key ? -1 : 1)),
      due: expected.size,
      missed: missed + skippedWhileUp,
      duplicates,
      late: [...rows.values()].filter((row) => row.status === 'sent' && row.late).length,
      skipped,
      skippedWhileUp,
      withdrawn,
      outsideAlertTime,
      unexpected,
      identifying,
      reconciled,
      failedPosts,
      kills,
      sentByKind,
      missedKeys,
      seconds: (Date.now() - began) / 1000,
    };
  } finally {
    await database.cleanup();
  }
}

async function updateOrThrow(
  store: ReviewStore,
  id: string,
  apply: (review: Review) => Review,
): Promise<Review> {
  const outcome = await store.updateReview(id, (review) => ({ ok: true, review: apply(review), audit: [] }));
  if (!outcome.ok) throw new Error(`simulation change to ${id} refused: ${outcome.reason}`);
  return outcome.review;
}

/** Working days and days off in the run, per the default calendar, for the summary. */
export function daysOff(start: CivilDate, days: number, profile: PartnershipProfile): CivilDate[] {
  const calendar = calendarFor(profile.calendar);
  const off: CivilDate[] = [];
  for (let i = 0; i < days; i++) {
    const day = addCalendarDays(start, i);
    if (!calendar.isWorkingDay(day)) off.push(day);
  }
  return off;
}
