/**
 * Data protection: the child's and family's details appear only inside the review's own channel.
 * Logs (at debug level, the most talkative), audit lines, the Graph requests, and everything posted
 * outside the channel's welcome and scoping cards carry the reference and pseudonym only.
 */
import { Writable } from 'node:stream';
import { createLogger } from '../../bot/log';
import { openReviewValues, people, scopingReturnValues, startHarness, teamId } from './harness';

const identifying = ['Zebedee', 'Quartermaine', 'Yolanda', 'Nowhere Lane', '2015-04-02'];

describe('no identifying data outside the review channel', () => {
  it('keeps the subject out of logs, audit, Graph, channel names and replies', async () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk, _encoding, done) {
        lines.push(String(chunk));
        done();
      },
    });
    const h = await startHarness({ log: createLogger('debug', sink) });
    try {
      await h.client.say(people.officer, 'open review');
      await h.client.act(people.officer, 'review.open', openReviewValues());
      await h.app.idle();
      const review = await h.app.deps.store.findByReference('RR-2026-001');
      if (!review) throw new Error('not opened');
      const where = { kind: 'channel' as const, channelId: review.teamspace.channelId as string, teamId };
      const police = review.agencies.find((a) => a.kind === 'police');
      await h.client.act(
        people.policeRep,
        'scopingReturn.submit',
        { reviewId: review.id, agencyId: police?.id, ...scopingReturnValues() },
        where,
      );
      await h.client.say(people.officer, 'status', where);
      await h.client.say(people.officer, 'portfolio');
      await h.app.runAlerts?.();
      await h.app.idle();

      expect(lines.length).toBeGreaterThan(3);
      const audit = JSON.stringify(await h.app.deps.store.auditTrail(review.id));
      const graph = JSON.stringify(h.sandbox.requests);
      // The welcome card and the scoping forms are inside the restricted channel, by design.
      const inChannelCards = new Set([
        review.teamspace.welcomeActivityId,
        ...review.teamspace.scopingCards.map((c) => c.activityId),
      ]);
      const elsewhere = JSON.stringify(
        h.connector.activities.filter((a) => !(a.kind === 'create' && inChannelCards.has(a.activityId))),
      );
      for (const text of identifying) {
        expect({ where: 'logs', found: lines.join('').includes(text) }).toEqual({
          where: 'logs',
          found: false,
        });
        expect({ where: 'audit', found: audit.includes(text) }).toEqual({ where: 'audit', found: false });
        expect({ where: 'graph', found: graph.includes(text) }).toEqual({ where: 'graph', found: false });
        expect({ where: 'posts', found: elsewhere.includes(text) }).toEqual({ where: 'posts', found: false });
      }
      // …and the details did reach the restricted channel, so the check above can fail.
      const welcome = h.connector.activities.find((a) => a.activityId === review.teamspace.welcomeActivityId);
      expect(JSON.stringify(welcome?.activity)).toContain('Zebedee');
    } finally {
      await h.close();
    }
  });
});
