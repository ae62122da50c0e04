/**
 * Issue 12, the data's whole life: the disposal job's dry run reaches the business unit on its own —
 * once a working day, at the alert hour, in its channel, references and dates only — and removes
 * nothing. Recorded only once Teams accepted the post; a refused post is tried at the next upkeep.
 */
import fs from 'node:fs';
import path from 'node:path';
import { periodPostToken } from '../../bot/flows/businessUnitPost';
import { disposalDuePosted } from '../../bot/flows/disposalNotice';
import { ProfileRegistry } from '../../review/profile';
import { partnershipAuditId } from '../../review/refusals';
import { sampleReview } from '../fixtures/sampleReview';
import { businessUnitChannelId, fixedClock, startHarness, type Harness } from './harness';

const officer = { name: 'Business Unit', aadObjectId: 'b0b0' };

describe('the disposal dry run, posted for the business unit', () => {
  let h: Harness;
  const clock = fixedClock('2026-12-02T08:30:00.000Z');
  const due = sampleReview({
    profileId: 'six-years',
    state: 'closed',
    subject: { childName: 'Zebedee Quartermaine', familyMembers: [] },
    closure: { reason: 'Done.', by: officer, at: '2019-05-01T12:00:00.000Z', fromState: 'panel-responded' },
  });
  const recent = sampleReview({
    profileId: 'six-years',
    state: 'closed',
    closure: { reason: 'Done.', by: officer, at: '2024-05-01T12:00:00.000Z', fromState: 'panel-responded' },
  });

  beforeEach(async () => {
    clock.set('2026-12-02T08:30:00.000Z');
    h = await startHarness({ clock });
    const dir = path.join(h.dataDir, 'profiles');
    fs.mkdirSync(dir);
    fs.writeFileSync(
      path.join(dir, 'six-years.json'),
      JSON.stringify({
        id: 'six-years',
        extends: 'england',
        name: 'Six Years Partnership',
        retention: { years: 6, note: 'Decided with the IG lead.' },
      }),
    );
    h.app.deps.profiles = new ProfileRegistry([dir]);
    for (const review of [due, recent]) await h.app.deps.store.createReview(review, []);
  });
  afterEach(async () => h.close());

  const businessUnitPosts = () =>
    h.connector.activities
      .filter((a) => a.kind === 'create' && a.channelId === businessUnitChannelId)
      .map((a) => JSON.stringify(a.activity))
      // On Mondays the channel also gets the weekly digest (weeklyDigest.http.test.ts).
      .filter((text) => text.includes('retention period'));
  const postedLines = async () =>
    (await h.app.deps.store.auditTrail(partnershipAuditId)).filter((e) => e.action === disposalDuePosted);
  const upkeepAt = async (iso: string) => {
    clock.set(iso);
    const result = await h.app.runUpkeep?.();
    await h.app.idle();
    return result;
  };

  it('posts once a working day at the alert hour, listing only reviews past retention, and removes nothing', async () => {
    expect((await upkeepAt('2026-12-02T08:30:00.000Z'))?.disposalDue).toBe(0);
    expect(businessUnitPosts()).toEqual([]);

    expect((await upkeepAt('2026-12-02T09:02:00.000Z'))?.disposalDue).toBe(1);
    const posts = businessUnitPosts();
    expect(posts).toHaveLength(1);
    expect(posts[0]).toContain(
      `${due.reference}: closed Wednesday 1 May 2019, retention ended Thursday 1 May 2025`,
    );
    expect(posts[0]).toContain('Nothing has been removed');
    expect(posts[0]).not.toContain(recent.reference);
    expect(posts[0]).not.toContain('Zebedee');
    expect(await postedLines()).toEqual([
      expect.objectContaining({ detail: expect.objectContaining({ on: '2026-12-02', reviews: 1 }) }),
    ]);
    expect((await h.app.deps.store.getReview(due.id))?.subject.childName).toBe('Zebedee Quartermaine');

    // Later the same day, and after a restart's fresh memory (the audit line remembers): nothing more.
    await upkeepAt('2026-12-02T09:04:00.000Z');
    h.app.deps.background.ofDay(`${disposalDuePosted}:checked`, '2026-12-02', () => ({ done: false })).done =
      false;
    await upkeepAt('2026-12-02T15:00:00.000Z');
    expect(businessUnitPosts()).toHaveLength(1);

    // Saturday: not a working day. Monday: the list again.
    await upkeepAt('2026-12-05T10:00:00.000Z');
    expect(businessUnitPosts()).toHaveLength(1);
    await upkeepAt('2026-12-07T09:00:00.000Z');
    expect(businessUnitPosts()).toHaveLength(2);
  });

  it('records nothing while Teams refuses the post, and posts at the next upkeep once it is back', async () => {
    h.connector.failNext('create', 1000, 403);
    expect((await upkeepAt('2026-12-02T09:00:00.000Z'))?.disposalDue).toBe(0);
    expect(await postedLines()).toEqual([]);
    h.connector.failNext('create', 0);
    expect((await upkeepAt('2026-12-02T09:02:00.000Z'))?.disposalDue).toBe(1);
    expect(businessUnitPosts()).toHaveLength(1);
    expect(await postedLines()).toHaveLength(1);
  });

  it('finds a list Teams accepted before a crash, and does not post it again', async () => {
    // As if an instance died after Teams accepted the day's list and before the audit line was written.
    await h.app.deps.messenger.startThread(businessUnitChannelId, {
      text: `1 closed review(s) have reached the end of their retention period (ref ${periodPostToken('disposal-due', '2026-12-02')})`,
    });
    expect((await upkeepAt('2026-12-02T09:02:00.000Z'))?.disposalDue).toBe(0);
    expect(businessUnitPosts()).toHaveLength(1);
    expect(await postedLines()).toEqual([
      expect.objectContaining({
        detail: expect.objectContaining({ on: '2026-12-02', foundInChannel: true }),
      }),
    ]);
  });
});
