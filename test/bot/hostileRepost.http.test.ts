/**
 * Issue 12, point 11: a crash between Teams accepting a set-up card and the bot recording it must not
 * leave a second copy of that card once the review is resumed. Each kill point stops the bot at one
 * step of posting the welcome card and the scoping requests (the write that would record it fails, as
 * if the process died there), then a new bot on the same database and the same "Teams" resumes.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { ChangeResult } from '../../review/store';
import { openReviewValues, people, startHarness, startTenant } from './harness';

/** The set-up writes a crash can come before: the card in flight, or the card posted but unrecorded. */
const killPoints: { action: string; nth: number; why: string }[] = [
  { action: 'post.started', nth: 1, why: 'before the welcome card is posted' },
  { action: 'welcome.posted', nth: 1, why: 'after Teams accepted the welcome card' },
  { action: 'post.started', nth: 2, why: 'before the first scoping request is posted' },
  { action: 'scoping-request.posted', nth: 1, why: 'after Teams accepted the first scoping request' },
  { action: 'scoping-request.posted', nth: 3, why: 'after Teams accepted the third scoping request' },
  { action: 'scoping-request.posted', nth: 4, why: 'after Teams accepted the last scoping request' },
  { action: 'scoping.sent', nth: 1, why: 'after every card, before the review is marked as sent' },
];

describe('no duplicate set-up card after a crash (issue 12, point 11)', () => {
  it.each(killPoints)(
    'posts each card once when the bot dies $why',
    async ({ action, nth }) => {
      const tenant = await startTenant();
      const sqlitePath = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'rr-repost-')), 'rapid-review.db');
      try {
        const first = await startHarness({ tenant, sqlitePath });
        const store = first.app.deps.store;
        const update = store.updateReview.bind(store);
        let seen = 0;
        let killed = false;
        store.updateReview = (id, change) =>
          update(id, (current): ChangeResult => {
            const result = change(current);
            if (!killed && result.ok && result.audit.some((line) => line.action === action)) {
              seen += 1;
              if (seen === nth) {
                killed = true;
                throw new Error(`killed at ${action} #${nth}`);
              }
            }
            return result;
          });
        await first.client.act(people.officer, 'review.open', openReviewValues());
        await first.app.idle();
        expect(killed).toBe(true);
        await first.app.close();

        const second = await startHarness({ tenant, sqlitePath });
        await second.app.idle();
        const review = await second.app.deps.store.findByReference('RR-2026-001');
        expect(review?.state).toBe('scoping');
        const channelId = review?.teamspace.channelId as string;
        const posts = tenant.connector.activities.filter(
          (a) => a.kind === 'create' && a.channelId === channelId,
        );
        // One welcome card and one scoping request per agency: nothing lost, nothing twice.
        expect(posts).toHaveLength(1 + 4);
        const recorded = [
          review?.teamspace.welcomeActivityId,
          ...(review?.teamspace.scopingCards ?? []).map((card) => card.activityId),
        ];
        expect(recorded.sort()).toEqual(posts.map((p) => p.activityId).sort());
        expect(review?.teamspace.postInFlight).toBeUndefined();
        await second.app.close();
      } finally {
        await tenant.close();
      }
    },
    30_000,
  );
});
