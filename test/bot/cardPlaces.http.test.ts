/**
 * A card that names a review acts only in that review's places (found by the security suite's
 * authorisation matrix): the meeting proposal pressed from a 1:1 chat, the business unit's channel or
 * another review's channel booked review A's meeting from there.
 */
import { people, startHarness, type Harness } from './harness';
import {
  actionData,
  askForMeeting,
  channelOf,
  openReview,
  reload,
  textOf,
  useMeetingSettings,
} from './meetingFixture';
import type { Where } from '../teamsClient/teamsClient';
import { businessUnitChannelId, teamId } from './harness';

describe('a review’s card pressed outside its own channel', () => {
  let h: Harness;

  beforeEach(async () => {
    h = await startHarness();
    useMeetingSettings(h);
  });

  afterEach(async () => {
    await h.close();
  });

  it('is refused from a 1:1 chat, the business unit’s channel and another review’s channel, and books nothing', async () => {
    const review = await openReview(h);
    const other = await openReview(h, { reference: 'RR-2026-002', childName: 'Someone Else' });
    const accept = actionData(await askForMeeting(h, review), 'meeting.accept');
    if (!accept) throw new Error('no proposal');
    const elsewhere: Where[] = [
      { kind: 'personal' },
      { kind: 'channel', channelId: businessUnitChannelId, teamId },
      channelOf(other),
    ];
    for (const where of elsewhere) {
      for (const verb of ['meeting.accept', 'quorum.confirm', 'outcome.record', 'outcome.signOff']) {
        const result = await h.client.act(people.officer, verb, { ...accept, reviewId: review.id }, where);
        expect({ verb, where: where.kind, status: result.status }).toEqual({
          verb,
          where: where.kind,
          status: 200,
        });
        expect(textOf(result.body)).toMatch(/another review|works in/);
      }
    }
    await h.app.idle();
    expect((await reload(h, review)).meeting).toBeUndefined();
    // …and in its own channel the same card books the meeting.
    await h.client.act(people.officer, 'meeting.accept', accept, channelOf(review));
    await h.app.idle();
    expect((await reload(h, review)).meeting?.status).toBe('booked');
  });
});
