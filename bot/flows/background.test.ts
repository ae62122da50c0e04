import { BackgroundWork } from './background';

function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

describe('BackgroundWork', () => {
  it('is per app: waiting for one app’s work never waits for another’s', async () => {
    const first = new BackgroundWork();
    const second = new BackgroundWork();
    const slow = deferred();
    second.afterReply(() => slow.promise);
    let done = false;
    first.afterReply(async () => {
      done = true;
    });
    await first.settled();
    expect(done).toBe(true);
    let secondSettled = false;
    const waiting = second.settled().then(() => (secondSettled = true));
    await new Promise((r) => setImmediate(r));
    expect(secondSettled).toBe(false);
    slow.resolve();
    await waiting;
    expect(secondSettled).toBe(true);
  });

  it('joins a second run of the same key to the one running, and runs again once it ends', async () => {
    const background = new BackgroundWork();
    const gate = deferred();
    let runs = 0;
    const work = async () => {
      runs += 1;
      await gate.promise;
      return runs;
    };
    const a = background.oneAtATime('setup:r1', work);
    const b = background.oneAtATime('setup:r1', work);
    const other = background.oneAtATime('setup:r2', async () => 'other');
    gate.resolve();
    expect(await a).toBe(1);
    expect(await b).toBe(1);
    expect(await other).toBe('other');
    expect(await background.oneAtATime('setup:r1', work)).toBe(2);
  });

  it('keeps updates of one key in order, each starting in an event-loop turn of its own', async () => {
    const background = new BackgroundWork();
    const started: string[] = [];
    const turns: number[] = [];
    let turn = 0;
    const ticker = setInterval(() => undefined, 1);
    const count = () => {
      turn += 1;
      if (turn < 50) setImmediate(count);
    };
    setImmediate(count);
    const slowFirst = deferred();
    const updates = [
      background.inOrder('card-1', async () => {
        started.push('card-1 first');
        turns.push(turn);
        await slowFirst.promise;
      }),
      background.inOrder('card-1', async () => {
        started.push('card-1 second');
        turns.push(turn);
      }),
      background.inOrder('card-2', async () => {
        started.push('card-2');
        turns.push(turn);
      }),
    ];
    await new Promise((r) => setTimeout(r, 20));
    // card-2 need not wait for card-1; card-1's second update waits for its first.
    expect(started).toEqual(['card-1 first', 'card-2']);
    slowFirst.resolve();
    await Promise.all(updates);
    clearInterval(ticker);
    expect(started).toEqual(['card-1 first', 'card-2', 'card-1 second']);
    expect(new Set(turns).size).toBe(3);
  });

  it('builds a value of the day once per day', () => {
    const background = new BackgroundWork();
    let builds = 0;
    const build = () => ++builds;
    expect(background.ofDay('schema', '2026-12-01', build)).toBe(1);
    expect(background.ofDay('schema', '2026-12-01', build)).toBe(1);
    expect(background.ofDay('schema', '2026-12-02', build)).toBe(2);
  });
});
