import { performance } from 'node:perf_hooks';
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
    const first = background.inOrder('card-1', async () => {
      started.push('card-1 first');
      turns.push(turn);
      await slowFirst.promise;
    });
    const other = background.inOrder('card-2', async () => {
      started.push('card-2');
      turns.push(turn);
    });
    await new Promise((r) => setTimeout(r, 20));
    const second = background.inOrder('card-1', async () => {
      started.push('card-1 second');
      turns.push(turn);
    });
    await new Promise((r) => setTimeout(r, 20));
    // card-2 need not wait for card-1; card-1's second update waits for its first.
    expect(started).toEqual(['card-1 first', 'card-2']);
    slowFirst.resolve();
    await Promise.all([first, other, second]);
    clearInterval(ticker);
    expect(started).toEqual(['card-1 first', 'card-2', 'card-1 second']);
    expect(new Set(turns).size).toBe(3);
  });

  it('replaces an update not started yet with a newer one of the same card: the card is redrawn once', async () => {
    const background = new BackgroundWork();
    const drawn: string[] = [];
    const running = deferred();
    const first = background.inOrder('card-1', async () => {
      drawn.push('revision 1');
      await running.promise;
    });
    await new Promise((r) => setTimeout(r, 10));
    const outcomes = ['revision 2', 'revision 3', 'revision 4'].map((revision) =>
      background.inOrder('card-1', async () => {
        drawn.push(revision);
      }),
    );
    running.resolve();
    await Promise.all([first, ...outcomes]);
    expect(drawn).toEqual(['revision 1', 'revision 4']);
    // A failed redraw reaches every caller it stood for.
    const failing = [1, 2].map(() =>
      background.inOrder('card-2', async () => {
        throw new Error('Teams said no');
      }),
    );
    for (const outcome of failing) await expect(outcome).rejects.toThrow('Teams said no');
  });

  it('holds card updates back while people wait for their answers, and at most maxWaitMs', async () => {
    const background = new BackgroundWork(200);
    const drawn: string[] = [];
    const answered = deferred();
    const answering = background.whileAnswering(() => answered.promise);
    const update = background.inOrder('card-1', async () => {
      drawn.push('card-1');
    });
    await new Promise((r) => setTimeout(r, 30));
    expect(drawn).toEqual([]);
    answered.resolve();
    await answering;
    await update;
    expect(drawn).toEqual(['card-1']);

    const endless = deferred();
    const stillAnswering = background.whileAnswering(() => endless.promise);
    const startedAt = Date.now();
    await background.inOrder('card-2', async () => {
      drawn.push('card-2');
    });
    expect(drawn).toEqual(['card-1', 'card-2']);
    expect(Date.now() - startedAt).toBeGreaterThanOrEqual(150);
    endless.resolve();
    await stillAnswering;
  });

  it('redraws cards only once the answers have stopped for quietMs, not in a gap of a burst', async () => {
    const background = new BackgroundWork(5000, 80);
    const drawn: number[] = [];
    const startedAt = performance.now();
    await background.whileAnswering(async () => undefined);
    const update = background.inOrder('card-1', async () => {
      drawn.push(performance.now() - startedAt);
    });
    // Answers keep coming, each 20 ms after the last: shorter gaps than quietMs, so no redraw yet.
    for (let i = 0; i < 5; i++) {
      await new Promise((r) => setTimeout(r, 20));
      await background.whileAnswering(async () => undefined);
      expect(drawn).toEqual([]);
    }
    const lastAnswer = performance.now() - startedAt;
    await update;
    expect(drawn).toHaveLength(1);
    expect(drawn[0]).toBeGreaterThanOrEqual(lastAnswer + 75);
    expect(drawn[0]).toBeLessThan(lastAnswer + 1000);
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
