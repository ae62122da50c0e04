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
