/**
 * The one scheduler of a running bot's background work, handed to every flow in its dependencies
 * (deps.background): work that follows a reply (setting a review up in Teams, refreshing a shared
 * card, notices), the guard that keeps a review's set-up to one run at a time, the ordered queue of
 * shared-card updates, and values that depend only on the day. Teams wants a card action answered
 * within seconds, so this work runs after the user has their answer — but it is tracked, so tests,
 * the demo and a clean shutdown can wait for it, and failures are logged by the flows, never dropped.
 *
 * Each bot app has its own: nothing here is module state, so two apps in one process (tests, the
 * demo's instances) never wait for or block each other's work.
 */
import { performance } from 'node:perf_hooks';

/** The longest an ordered update waits for the people being answered (see BackgroundWork.inOrder). */
export const defaultMaxWaitMs = 1000;

/**
 * How long after the last answer the bot counts as quiet: people submitting together send their next
 * action within milliseconds of an answer, so a gap this long is the end of a burst, not a pause in it.
 */
export const defaultQuietMs = 50;

interface WaitingUpdate {
  work: () => Promise<void>;
  /** Settles with the outcome of whichever work finally runs for it. */
  done: Promise<void>;
}

interface KeyedUpdates {
  running: Promise<void> | undefined;
  next: WaitingUpdate | undefined;
}

export class BackgroundWork {
  private readonly pending = new Set<Promise<unknown>>();
  /** Runs in progress by key (a review's set-up): a second request joins the running one. */
  private readonly running = new Map<string, Promise<unknown>>();
  /** Per key (a shared card's activity id): the update running, and the one waiting to follow it. */
  private readonly updates = new Map<string, KeyedUpdates>();
  /** Ordered work waiting for an event-loop turn of its own, oldest first. */
  private readonly waitingTurns: (() => void)[] = [];
  private turnsScheduled = false;
  /** Incoming activities being answered now: ordered updates wait for none to be (see inOrder). */
  private answering = 0;
  /** When the last answer was sent (performance.now()), and the timer that waits for the quiet. */
  private lastAnswered = -Infinity;
  private quietTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly waitingForQuiet: (() => void)[] = [];
  /** Values worked out once a day (e.g. the scoping-return schema, whose rules name today). */
  private readonly daily = new Map<string, { day: string; value: unknown }>();

  constructor(
    private readonly maxWaitMs = defaultMaxWaitMs,
    private readonly quietMs = defaultQuietMs,
  ) {}

  /** Starts `work` now, without waiting for it; `settled()` waits for it. */
  afterReply(work: () => Promise<unknown>): void {
    const running: Promise<unknown> = work().finally(() => this.pending.delete(running));
    this.pending.add(running);
  }

  /** Resolves when every piece of background work (and any it started) has finished. */
  async settled(): Promise<void> {
    while (this.pending.size > 0) await Promise.allSettled([...this.pending]);
  }

  /**
   * Runs `work` unless work with the same key is already running, in which case the caller gets that
   * run's outcome: the install event, a retry timer and a resumed start-up may all ask to carry on
   * with the same review's set-up, and two runs at once could post a card twice.
   */
  oneAtATime<T>(key: string, work: () => Promise<T>): Promise<T> {
    const current = this.running.get(key) as Promise<T> | undefined;
    if (current) return current;
    const started = work().finally(() => this.running.delete(key));
    this.running.set(key, started);
    return started;
  }

  /**
   * Runs `work` once the earlier work with the same key has finished (two quick submissions for one
   * agency must not reach Teams in the wrong order and leave the older card showing), and in an
   * event-loop turn of its own: building a card and handing it to the Bot Framework is a millisecond
   * or more of synchronous work, and Node accepts at most one new connection per turn, so starting
   * many in one turn would keep people who submit at the same moment waiting for their replies.
   *
   * People waiting for an answer come first: an update starts once no incoming activity has been
   * answered for `quietMs`, or at the latest `maxWaitMs` after it was asked for, so a burst of
   * submissions is answered before the cards everyone else sees are redrawn. Each update carries the
   * card as it is now, so one that has not started yet when a newer one for the same key arrives is
   * replaced by it (both callers get the newer one's outcome): under load a card is redrawn once, not
   * once per submission.
   */
  inOrder(key: string, work: () => Promise<void>): Promise<void> {
    const queued = this.updates.get(key) ?? { running: undefined, next: undefined };
    this.updates.set(key, queued);
    if (queued.next) {
      queued.next.work = work;
      return queued.next.done;
    }
    let settle!: (outcome: Promise<void>) => void;
    const next: WaitingUpdate = { work, done: new Promise<void>((resolve) => (settle = resolve)) };
    queued.next = next;
    const start = async (): Promise<void> => {
      await queued.running;
      await this.quietTurn();
      // From here on a newer update waits for this one instead of replacing it.
      queued.next = undefined;
      const run = next.work();
      queued.running = run.then(
        () => undefined,
        () => undefined,
      );
      settle(run);
      await queued.running;
      if (queued.next === undefined && this.updates.get(key) === queued) this.updates.delete(key);
    };
    void start();
    return next.done;
  }

  /**
   * Runs `answer` (one incoming activity) counted as someone waiting: ordered background updates hold
   * back until no one is, and no one has been for `quietMs`.
   */
  async whileAnswering<T>(answer: () => Promise<T>): Promise<T> {
    this.answering += 1;
    try {
      return await answer();
    } finally {
      this.answering -= 1;
      this.lastAnswered = performance.now();
      if (this.answering === 0) this.releaseWhenQuiet();
    }
  }

  /** The value `build` gives for `day`, built once per name and day. */
  ofDay<T>(name: string, day: string, build: () => T): T {
    const known = this.daily.get(name);
    if (known?.day === day) return known.value as T;
    const value = build();
    this.daily.set(name, { day, value });
    return value;
  }

  /** An event-loop turn of its own, once no one is waiting for an answer (or after maxWaitMs). */
  private async quietTurn(): Promise<void> {
    if (this.quietFor() < this.quietMs) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(release, this.maxWaitMs);
        function release(): void {
          clearTimeout(timer);
          resolve();
        }
        this.waitingForQuiet.push(release);
        this.releaseWhenQuiet();
      });
    }
    await this.ownTurn();
  }

  /** How long no one has been waiting for an answer; -1 while someone is. */
  private quietFor(): number {
    return this.answering > 0 ? -1 : performance.now() - this.lastAnswered;
  }

  /** Releases the updates waiting for quiet once it has lasted `quietMs` (re-armed by each answer). */
  private releaseWhenQuiet(): void {
    if (this.quietTimer !== undefined || this.waitingForQuiet.length === 0 || this.answering > 0) return;
    this.quietTimer = setTimeout(
      () => {
        this.quietTimer = undefined;
        if (this.quietFor() >= this.quietMs) {
          for (const release of this.waitingForQuiet.splice(0)) release();
        } else this.releaseWhenQuiet();
      },
      Math.max(0, this.quietMs - this.quietFor()),
    );
  }

  private ownTurn(): Promise<void> {
    return new Promise((resolve) => {
      this.waitingTurns.push(resolve);
      if (!this.turnsScheduled) {
        this.turnsScheduled = true;
        setImmediate(() => this.nextTurn());
      }
    });
  }

  private nextTurn(): void {
    this.waitingTurns.shift()?.();
    if (this.waitingTurns.length > 0) setImmediate(() => this.nextTurn());
    else this.turnsScheduled = false;
  }
}
