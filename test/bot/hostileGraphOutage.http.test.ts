/**
 * Issue 12, point 2, the Graph side: Graph goes down (5xx, throttling, requests that never answer)
 * while a review is being set up — just after the channel was created, its answer lost. The business
 * unit is told once, plainly, that the review is saved and will be resumed; the running bot's upkeep
 * (every two minutes on its clock, no restart) keeps trying without telling it again, and the first
 * upkeep after Graph is back finishes set-up: exactly one channel, every member, the welcome and each
 * scoping card once.
 */
import { loadGraphCsdl } from '../graph-sandbox/csdlCheck';
import type { Fault } from '../graph-sandbox/graphSandbox';
import { fixedClock, openReviewValues, people, reviewChannels, startHarness, type Harness } from './harness';

/** What Graph answers while it is down, in turn: overload, throttling, failure, gateway timeout, silence. */
const outage: Fault[] = [
  { status: 503, retryAfterSeconds: 10 },
  { status: 429, retryAfterSeconds: 30 },
  { status: 500 },
  { status: 504 },
  { hang: true },
];

describe('a review half set up when Graph went down is finished by the running bot (issue 12, point 2)', () => {
  let h: Harness;
  const clock = fixedClock('2026-12-02T10:00:00.000Z');
  const twoMinutesLater = () => clock.set(new Date(clock.now().getTime() + 2 * 60_000).toISOString());
  let down = false;
  let faultsGiven = 0;

  // The sandbox reads Graph's metadata on its first checked request: not a wait to time out on.
  beforeAll(() => loadGraphCsdl());

  beforeEach(async () => {
    clock.set('2026-12-02T10:00:00.000Z');
    down = false;
    faultsGiven = 0;
    // Retry-After and back-off waits scaled down (a 30 s Retry-After costs 30 ms); a request that
    // does not answer is abandoned after 1.5 s (well above a loaded machine's slowest real answer).
    h = await startHarness({ clock, graphTiming: { delayScale: 0.001, requestTimeoutMs: 1500 } });
    h.sandbox.setFaultPolicy(({ method, path, batched }) => {
      if (down) return outage[faultsGiven++ % outage.length];
      if (method === 'POST' && !batched && /\/teams\/[^/]+\/channels$/.test(path)) {
        // The channel is made, but its answer never comes back; Graph is down from here on.
        down = true;
        return { hang: true, landed: true };
      }
      return undefined;
    });
  });
  afterEach(async () => h.close());

  /** What the business unit read in the 1:1 chat it opened the review from. */
  const told = () =>
    h.connector.activities
      .filter((a) => a.conversationId.startsWith('a:personal-'))
      .map((a) => JSON.stringify(a.activity));
  const pausedNotices = () => told().filter((text) => text.includes('I will resume it automatically'));
  const state = async () => (await h.app.deps.store.findByReference('RR-2026-001'))?.state;

  it('tells the business unit once while Graph is down, then the next upkeep after recovery finishes set-up once', async () => {
    await h.client.act(people.officer, 'review.open', openReviewValues());
    await h.app.idle();
    expect(await state()).toBe('opened');
    // The channel exists in Teams (the create landed) but the bot never heard so.
    expect(reviewChannels(h)).toHaveLength(1);
    expect(pausedNotices()).toHaveLength(1);
    expect(pausedNotices()[0]).toContain('RR-2026-001 is saved, but setting up its channel did not finish');
    // Plainly: no status codes, no Graph error names, nothing about the child.
    expect(pausedNotices()[0]).not.toMatch(/\b5\d\d\b|\b429\b|Graph|Timeout|Zebedee|Quartermaine/);

    // Still down at the next two upkeeps: each tries again; the business unit is not told twice.
    for (let run = 0; run < 2; run += 1) {
      const before = faultsGiven;
      twoMinutesLater();
      await h.app.runUpkeep?.();
      await h.app.idle();
      expect(faultsGiven).toBeGreaterThan(before);
      expect(await state()).toBe('opened');
    }
    expect(pausedNotices()).toHaveLength(1);
    expect(reviewChannels(h)).toHaveLength(1);
    // Every kind of failure was met, silence included.
    const failed = h.sandbox.requests.filter((request) => request.fault !== undefined);
    expect(new Set(failed.map((request) => request.fault ?? request.status))).toEqual(
      new Set(['status', 'hang']),
    );
    expect(new Set(failed.filter((r) => r.fault === 'status').map((r) => r.status))).toEqual(
      new Set([429, 500, 503, 504]),
    );

    // Graph is back: the next upkeep, two minutes on, finishes the review without a restart.
    down = false;
    h.sandbox.setFaultPolicy(undefined);
    twoMinutesLater();
    await h.app.runUpkeep?.();
    await h.app.idle();
    const review = await h.app.deps.store.findByReference('RR-2026-001');
    expect(review?.state).toBe('scoping');
    expect(reviewChannels(h)).toHaveLength(1);
    expect(reviewChannels(h)[0].id).toBe(review?.teamspace.channelId);
    const members = (h.sandbox.state.members[review?.teamspace.channelId ?? ''] ?? []).map((m) => m.userId);
    const expected = [people.officer, people.laRep, people.policeRep, people.icbRep, people.schoolRep].map(
      (person) => person.aadObjectId,
    );
    expect([...members].sort()).toEqual([...expected].sort());
    // The welcome and one scoping card per agency, each once.
    const posts = h.connector.activities.filter(
      (a) => a.kind === 'create' && a.channelId === review?.teamspace.channelId,
    );
    expect(posts).toHaveLength(1 + 4);
    expect(review?.teamspace.scopingCards).toHaveLength(4);
    expect(told().at(-1)).toContain('RR-2026-001 is ready');
    expect(pausedNotices()).toHaveLength(1);
    // The audit tells the story once: one channel recorded, set-up unblocked once.
    const audit = await h.app.deps.store.auditTrail(review?.id ?? '');
    expect(audit.filter((event) => event.action === 'channel.created')).toHaveLength(1);
    expect(audit.filter((event) => event.action === 'setup.blocked')).toHaveLength(1);
    expect(audit.filter((event) => event.action === 'setup.unblocked')).toHaveLength(1);
  });
});
