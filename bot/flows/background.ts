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
export class BackgroundWork {
  private readonly pending = new Set<Promise<unknown>>();
  /** Runs in progress by key (a review's set-up): a second request joins the running one. */
  private readonly running = new Map<string, Promise<unknown>>();
  /** The latest update still on its way for each key (a shared card's activity id). */
  private readonly lastInOrder = new Map<string, Promise<void>>();
  /** Ordered work waiting for an event-loop turn of its own, oldest first. */
  private readonly waitingTurns: (() => void)[] = [];
  private turnsScheduled = false;
  /** Values worked out once a day (e.g. the scoping-return schema, whose rules name today). */
  private readonly daily = new Map<string, { day: string; value: unknown }>();

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
   */
  inOrder(key: string, work: () => Promise<void>): Promise<void> {
    const earlier = this.lastInOrder.get(key) ?? Promise.resolve();
    const update = earlier.then(() => this.ownTurn()).then(work);
    const done = update.then(
      () => undefined,
      () => undefined,
    );
    this.lastInOrder.set(key, done);
    void done.then(() => {
      if (this.lastInOrder.get(key) === done) this.lastInOrder.delete(key);
    });
    return update;
  }

  /** The value `build` gives for `day`, built once per name and day. */
  ofDay<T>(name: string, day: string, build: () => T): T {
    const known = this.daily.get(name);
    if (known?.day === day) return known.value as T;
    const value = build();
    this.daily.set(name, { day, value });
    return value;
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
