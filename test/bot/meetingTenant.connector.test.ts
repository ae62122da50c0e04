/**
 * The meeting on a registration as the Developer Portal makes it: no participant join/leave events
 * unless subscribed, so the bot asks Teams (Get participant, with the tenant id) who is in the meeting;
 * and Teams' attendance report, which appears some time after meetingEnd, reconciled when it appears.
 */
import { reconcilePendingAttendance } from '../../bot/flows/meetingAttendance';
import { fixedClock, people, startHarness, type Harness } from './harness';
import {
  bookProposedMeeting,
  busyDay,
  meetingChatOf,
  openReview,
  postsIn,
  reload,
  replyTo,
  textOf,
  useMeetingSettings,
} from './meetingFixture';
import type { Review } from '../../review/model';

jest.setTimeout(20_000);

describe('the review meeting on a fresh bot registration', () => {
  let h: Harness;
  let clock: ReturnType<typeof fixedClock>;
  let review: Review;
  let chat: ReturnType<typeof meetingChatOf>;

  beforeEach(async () => {
    clock = fixedClock('2026-12-02T10:00:00.000Z');
    h = await startHarness({ clock });
    useMeetingSettings(h);
    const opened = await openReview(h);
    h.sandbox.setBusy(people.policeRep.email, [busyDay('2026-12-10')]);
    h.sandbox.setBusy(people.icbRep.email, [busyDay('2026-12-11', '09:00', '12:00')]);
    review = await bookProposedMeeting(h, opened);
    chat = meetingChatOf(review);
    clock.set('2026-12-11T12:00:00.000Z');
    await h.client.meetingEvent('start', chat, {
      joinUrl: review.meeting?.joinUrl as string,
      organizer: people.officer,
    });
  });
  afterEach(() => h.close());

  async function quorumCheck() {
    const mark = h.connector.activities.length;
    await h.client.say(people.chair, 'quorum', chat);
    return textOf(replyTo(h, mark));
  }

  it('gets quorum right with no join events at all, by asking Teams about each representative', async () => {
    expect(h.client.meetingParticipantEventsSubscribed).toBe(false);
    const joined = await h.client.participants(
      'join',
      chat,
      [people.laRep, people.policeRep, people.chair],
      people.officer,
    );
    expect(joined).toEqual({ delivered: false, reason: 'meeting participant events not subscribed' });
    expect(await quorumCheck()).toContain('missing Integrated Care Board');

    await h.client.participants('join', chat, [people.icbRep], people.officer);
    const after = await quorumCheck();
    expect(after).toContain('The rule is met');
    expect(after).toContain(`Present: ${people.icbRep.name}`);
    const confirmed = await h.client.act(people.chair, 'quorum.confirm', { reviewId: review.id }, chat);
    expect(textOf(confirmed.body)).toContain('Quorate');
  });

  it('reconciles the attendance report that appears ten minutes after the end, and says nothing before', async () => {
    await h.client.participants(
      'join',
      chat,
      [people.laRep, people.policeRep, people.icbRep, people.chair],
      people.officer,
    );
    await h.client.act(people.chair, 'quorum.confirm', { reviewId: review.id }, chat);
    const channel = review.teamspace.channelId as string;

    clock.set('2026-12-11T14:00:00.000Z');
    const mark = h.connector.activities.length;
    await h.client.meetingEvent('end', chat, {
      joinUrl: review.meeting?.joinUrl as string,
      organizer: people.officer,
    });
    await h.app.idle();
    const held = await reload(h, review);
    expect(held.state).toBe('meeting-held');
    expect(held.attendance).toBeUndefined();
    expect(textOf(postsIn(h, channel, mark))).not.toContain('Attendance at the review meeting');

    // The retry runs on its schedule (1, 2, 4, 8 … minutes): nothing to reconcile before the report exists.
    for (const minute of [1, 3, 7]) {
      clock.set(new Date(Date.parse('2026-12-11T14:00:00.000Z') + minute * 60_000).toISOString());
      expect(await reconcilePendingAttendance(h.app.deps)).toEqual({
        reconciled: [],
        pending: [review.reference],
      });
    }
    expect((await reload(h, review)).attendance).toBeUndefined();

    const record = (who: (typeof people)[keyof typeof people]) => ({
      emailAddress: who.email,
      identity: { id: who.aadObjectId, displayName: who.name },
      attendanceIntervals: [{ joinDateTime: '2026-12-11T12:00:00Z', leaveDateTime: '2026-12-11T14:00:00Z' }],
    });
    clock.set('2026-12-11T14:10:00.000Z');
    h.sandbox.addAttendanceReport(review.meeting?.joinUrl as string, [
      record(people.laRep),
      record(people.policeRep),
      record(people.icbRep),
      record(people.chair),
    ]);
    // Not due yet at +10 min (the next look is at +15).
    expect(await reconcilePendingAttendance(h.app.deps)).toEqual({
      reconciled: [],
      pending: [review.reference],
    });
    clock.set('2026-12-11T14:15:00.000Z');
    expect(await reconcilePendingAttendance(h.app.deps)).toEqual({
      reconciled: [review.reference],
      pending: [],
    });

    const reconciled = await reload(h, review);
    expect(reconciled.attendance?.map((e) => e.person.name).sort()).toEqual(
      [people.chair.name, people.icbRep.name, people.laRep.name, people.policeRep.name].sort(),
    );
    const summaries = postsIn(h, channel, mark).filter((a) =>
      textOf(a.activity).includes('Attendance at the review meeting'),
    );
    expect(summaries).toHaveLength(1);
    expect(textOf(summaries[0].activity)).toContain('Teams’ attendance report and the live view');
    // Once reconciled, the retry leaves it alone.
    clock.set('2026-12-11T18:00:00.000Z');
    expect(await reconcilePendingAttendance(h.app.deps)).toEqual({ reconciled: [], pending: [] });
  });
});
