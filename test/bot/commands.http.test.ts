/** The business unit's text commands, by place, through the real HTTP endpoint. */
import { openReviewValues, people, startHarness, teamId, type Harness } from './harness';

describe('business unit commands', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness();
    await h.client.act(people.officer, 'review.open', openReviewValues());
    await h.app.idle();
  });
  afterEach(async () => h.close());

  async function reply(text: string, where: Parameters<Harness['client']['say']>[2] = { kind: 'personal' }) {
    const before = h.connector.activities.length;
    await h.client.say(people.officer, text, where);
    return JSON.stringify(
      h.connector.activities.slice(before).find((a) => a.kind === 'reply')?.activity ?? {},
    );
  }

  async function channel() {
    const review = await h.app.deps.store.findByReference('RR-2026-001');
    return { kind: 'channel' as const, channelId: review?.teamspace.channelId as string, teamId };
  }

  it('records an anchor date in the review channel and refuses a bad one naming the rule', async () => {
    const where = await channel();
    expect(await reply('record sin 2026-13-01', where)).toContain('must be a date as YYYY-MM-DD');
    expect(await reply('record sin 2026-12-02', where)).toContain('RR-2026-001');
    const review = await h.app.deps.store.findByReference('RR-2026-001');
    expect(review?.anchors.sinSent).toBe('2026-12-02');
    const trail = await h.app.deps.store.auditTrail(review?.id as string);
    expect(trail.at(-1)).toMatchObject({
      action: 'anchor.recorded',
      detail: { anchor: 'sinSent', on: '2026-12-02' },
    });
  });

  it('refuses a future date and an impossible order as the opening form does, naming the field and rule', async () => {
    // Today is Wed 2 Dec 2026; the review was opened aware 30 Nov, SIN 1 Dec.
    const where = await channel();
    expect(await reply('record sin 2026-12-03', where)).toContain(
      'sinSent 2026-12-03: Must not be in the future (today is 2026-12-02)',
    );
    expect(await reply('record aware 2026-12-02', where)).toContain(
      'aware 2026-12-02: refused, sinSent: Must not be before the date the local authority became aware (sinSent is recorded as 2026-12-01)',
    );
    const review = await h.app.deps.store.findByReference('RR-2026-001');
    expect(review?.anchors).toMatchObject({ aware: '2026-11-30', sinSent: '2026-12-01' });
    const trail = await h.app.deps.store.auditTrail(review?.id as string);
    expect(trail.at(-1)).toMatchObject({
      action: 'anchor.recorded.refused',
      detail: { anchor: 'aware', on: '2026-12-02' },
    });
  });

  it('records a scoping period only where the partnership agrees one per review', async () => {
    const where = await channel();
    expect(await reply('record scoping-period 2024-12-01', where)).toContain(
      'to: must be a date as YYYY-MM-DD',
    );
    expect(await reply('record scoping-period 2024-12-01 2026-11-30', where)).toContain(
      'does not agree a scoping period per review',
    );
    const review = await h.app.deps.store.findByReference('RR-2026-001');
    expect(review?.scopingPeriod).toBeUndefined();
  });

  it('gives the portfolio and one review’s status by reference in a 1:1 chat, without subject data', async () => {
    const portfolio = await reply('portfolio');
    expect(portfolio).toContain('RR-2026-001');
    expect(portfolio).not.toContain('Zebedee');
    const status = await reply('status RR-2026-001');
    expect(status).toContain('Child A');
    expect(status).not.toContain('Zebedee');
    expect(await reply('status RR-2026-999')).toContain('There is no review RR-2026-999');
  });

  it('closes a review only with a reason, and it leaves the portfolio', async () => {
    const where = await channel();
    expect(await reply('close', where)).toContain('Say why');
    expect(await reply('close Panel agreed: no further review', where)).toContain('is closed');
    expect(await reply('portfolio')).not.toContain('RR-2026-001');
  });
});
