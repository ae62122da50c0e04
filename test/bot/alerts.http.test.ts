/** Countdown alerts from the running bot: posted into the review's thread once, never twice. */
import { fixedClock, openReviewValues, people, startHarness, type Harness } from './harness';

describe('alerts in the running bot', () => {
  let h: Harness;
  const clock = fixedClock('2026-12-02T10:00:00.000Z');

  beforeEach(async () => {
    h = await startHarness({ clock });
    await h.client.act(people.officer, 'review.open', openReviewValues());
    await h.app.idle();
  });
  afterEach(async () => h.close());

  it('posts today’s countdown into the review thread once, naming no child', async () => {
    const review = await h.app.deps.store.findByReference('RR-2026-001');
    const thread = (review?.teamspace.conversationReference as { conversation: { id: string } }).conversation
      .id;
    const run = h.app.runAlerts;
    if (!run) throw new Error('alerts are not running');
    const first = await run();
    expect(first.sent).toBeGreaterThan(0);
    const posted = h.connector.activities.filter((a) => a.conversationId === thread && a.kind !== 'create');
    const texts = posted.map((a) => JSON.stringify(a.activity));
    expect(texts.some((t) => /Working day \d+ of 15/.test(t))).toBe(true);
    for (const text of texts) {
      expect(text).not.toContain('Zebedee');
      expect(text).not.toContain('Quartermaine');
    }
    const second = await run();
    expect(second.sent).toBe(0);
    expect(
      h.connector.activities.filter((a) => a.conversationId === thread && a.kind !== 'create'),
    ).toHaveLength(posted.length);
  });

  it('sends nothing on a Saturday', async () => {
    clock.set('2026-12-05T10:00:00.000Z');
    const before = h.connector.activities.length;
    const result = await h.app.runAlerts?.();
    expect(result?.sent).toBe(0);
    expect(h.connector.activities.length).toBe(before);
    clock.set('2026-12-02T10:00:00.000Z');
  });
});
