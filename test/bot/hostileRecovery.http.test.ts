/**
 * Issue 12, point 2: a review whose set-up a Teams outage stopped is finished by the running bot —
 * its upkeep, every two minutes on the bot's clock, no restart — at the first run after recovery,
 * with each card once; meanwhile the business unit is told plainly, once, that it is saved and will
 * be resumed.
 */
import { fixedClock, openReviewValues, people, reviewChannels, startHarness, type Harness } from './harness';

// The Bot Framework client retries a 503 with real back-off: each attempt in the outage takes seconds.
jest.setTimeout(120_000);

describe('a half-set-up review is finished by the running bot after an outage (issue 12, point 2)', () => {
  let h: Harness;
  const clock = fixedClock('2026-12-02T10:00:00.000Z');
  const twoMinutesLater = () => clock.set(new Date(clock.now().getTime() + 2 * 60_000).toISOString());

  beforeEach(async () => {
    clock.set('2026-12-02T10:00:00.000Z');
    h = await startHarness({ clock });
  });
  afterEach(async () => h.close());

  /** What the business unit read in the 1:1 chat it opened the review from. */
  const told = () =>
    h.connector.activities
      .filter((a) => a.conversationId.startsWith('a:personal-'))
      .map((a) => JSON.stringify(a.activity));
  const pausedNotices = () => told().filter((text) => text.includes('I will resume it automatically'));

  it('while Teams refuses posts: tells the business unit once, then finishes at the first upkeep after Teams is back', async () => {
    h.connector.failNext('create', 1000, 503);
    await h.client.act(people.officer, 'review.open', openReviewValues());
    await h.app.idle();
    expect((await h.app.deps.store.findByReference('RR-2026-001'))?.state).toBe('opened');
    expect(pausedNotices()).toHaveLength(1);
    expect(pausedNotices()[0]).toContain('RR-2026-001 is saved, but setting up its channel did not finish');
    expect(pausedNotices()[0]).not.toContain('Zebedee');

    // Still down at the next upkeep: it tries again, and the business unit is not told twice.
    twoMinutesLater();
    await h.app.runUpkeep?.();
    await h.app.idle();
    expect((await h.app.deps.store.findByReference('RR-2026-001'))?.state).toBe('opened');
    expect(pausedNotices()).toHaveLength(1);

    // Teams is back: the next upkeep, two minutes on, finishes the review.
    h.connector.failNext('create', 0);
    twoMinutesLater();
    const result = await h.app.runUpkeep?.();
    await h.app.idle();
    expect(result?.resumed).toEqual(['RR-2026-001']);
    const review = await h.app.deps.store.findByReference('RR-2026-001');
    expect(review?.state).toBe('scoping');
    const posts = h.connector.activities.filter(
      (a) => a.kind === 'create' && a.channelId === review?.teamspace.channelId,
    );
    expect(posts).toHaveLength(1 + 4);
    expect(reviewChannels(h)).toHaveLength(1);
    expect(told().at(-1)).toContain('RR-2026-001 is ready');
  });
});

describe('"ready" is told once set-up has finished, even when telling it failed (issue 12)', () => {
  let h: Harness;
  const clock = fixedClock('2026-12-02T10:00:00.000Z');
  afterEach(async () => h.close());

  const told = () =>
    h.connector.activities
      .filter((a) => a.conversationId.startsWith('a:personal-'))
      .map((a) => String(a.activity.text ?? ''));

  it('tells the business unit at the next upkeep when the chat refused "ready" as set-up finished', async () => {
    h = await startHarness({ clock });
    // Teams takes the channel's cards but refuses every message in the officer's chat (as if the bot
    // died between recording "scoping sent" and telling it).
    h.connector.failNext('send', 1000, 403);
    h.connector.failNext('reply', 1000, 403);
    await h.client.act(people.officer, 'review.open', openReviewValues());
    await h.app.idle();
    expect((await h.app.deps.store.findByReference('RR-2026-001'))?.state).toBe('scoping');
    expect(told()).toEqual([]);

    h.connector.failNext('send', 0);
    h.connector.failNext('reply', 0);
    clock.set('2026-12-02T10:02:00.000Z');
    await h.app.runUpkeep?.();
    await h.app.idle();
    expect(told().filter((text) => text.startsWith('RR-2026-001 is ready'))).toHaveLength(1);

    // Told once: later upkeeps say nothing more.
    clock.set('2026-12-02T10:04:00.000Z');
    await h.app.runUpkeep?.();
    await h.app.idle();
    expect(told().filter((text) => text.startsWith('RR-2026-001 is ready'))).toHaveLength(1);
  });
});
