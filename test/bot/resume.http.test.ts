/**
 * "Nothing is ever lost": a crash between creating the channel and posting the cards is finished on
 * the next start, without a second channel and without a second copy of anything already posted.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openReviewValues, people, reviewChannels, startHarness, startTenant } from './harness';

describe('resuming a half-done review after a restart', () => {
  it('finishes the cards on restart with exactly one channel', async () => {
    const tenant = await startTenant();
    const { sandbox, connector } = tenant;
    const sqlitePath = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'rr-resume-')), 'rapid-review.db');
    try {
      const first = await startHarness({ tenant, sqlitePath });
      const creates = () => connector.activities.filter((a) => a.kind === 'create').length;
      // One review set up in full, to show a restart leaves finished work alone.
      await first.client.act(people.officer, 'review.open', openReviewValues());
      await first.app.idle();
      const threads = creates();
      expect(threads).toBe(5);
      // A second review while Teams refuses new threads: its channel exists, its cards do not.
      connector.failNext('create', 1000, 403);
      await first.client.act(people.officer, 'review.open', openReviewValues({ reference: 'RR-2026-002' }));
      await first.app.idle();
      const stuck = await first.app.deps.store.findByReference('RR-2026-002');
      expect(stuck?.state).toBe('opened');
      expect(stuck?.teamspace.channelId).toBeDefined();
      expect(stuck?.teamspace.scopingCards).toHaveLength(0);
      await first.app.close();

      // Second life: Teams is back; start-up resumes the review.
      connector.failNext('create', 0);
      const second = await startHarness({ tenant, sqlitePath });
      await second.app.idle();
      const resumed = await second.app.deps.store.findByReference('RR-2026-002');
      expect(resumed?.state).toBe('scoping');
      expect(resumed?.teamspace.scopingCards).toHaveLength(4);
      const names = reviewChannels({ sandbox }).map((c) => c.displayName);
      expect(names.sort()).toEqual(['RR-2026-001', 'RR-2026-002']);
      // The first review was complete and is left alone: still one welcome and four cards.
      expect(creates()).toBe(threads + 5);
      await second.app.close();
    } finally {
      await tenant.close();
    }
  });
});
