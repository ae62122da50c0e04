/**
 * Work that follows a reply (setting a review up in Teams, refreshing a shared card) runs after the
 * user has their answer — Teams wants a card action answered within seconds — but is tracked, so
 * tests, the demo and a clean shutdown can wait for it, and failures are logged, never dropped.
 */
const pending = new Set<Promise<unknown>>();

export function afterReply(work: () => Promise<unknown>): void {
  const running: Promise<unknown> = work().finally(() => pending.delete(running));
  pending.add(running);
}

export async function settled(): Promise<void> {
  while (pending.size > 0) await Promise.allSettled([...pending]);
}

/** Runs in progress by key (a review's set-up): a second request joins the running one. */
const running = new Map<string, Promise<unknown>>();

/**
 * Runs `work` unless work with the same key is already running in this process, in which case the
 * caller gets that run's outcome: the install event, a retry timer and a resumed start-up may all ask
 * to carry on with the same review's set-up, and two runs at once could post a card twice.
 */
export function oneAtATime<T>(key: string, work: () => Promise<T>): Promise<T> {
  const current = running.get(key) as Promise<T> | undefined;
  if (current) return current;
  const started = work().finally(() => running.delete(key));
  running.set(key, started);
  return started;
}
