/**
 * A reconvened meeting booked after the statutory window (issue 11, point 4) over HTTP: refused
 * without a reconvene, allowed after one, audited as late with the reconvening, and shown as late.
 */
import { addCalendarDays } from '../../scheduler/civilDate';
import { statutoryMeetingWindow } from '../../scheduler/timeline';
import { fixedClock, people, startHarness, type Harness } from './harness';
import {
  actionData,
  askForMeeting,
  bookProposedMeeting,
  channelOf,
  openReview,
  reload,
  replyTo,
  textOf,
  useMeetingSettings,
} from './meetingFixture';

// A whole review to its second meeting: many turns, each a real HTTP round trip.
jest.setTimeout(20_000);

describe('booking the meeting after a reconvene', () => {
  let h: Harness;
  const clock = fixedClock('2026-12-02T10:00:00.000Z');
  beforeEach(async () => {
    clock.set('2026-12-02T10:00:00.000Z');
    h = await startHarness({ clock });
    useMeetingSettings(h);
  });
  afterEach(async () => h.close());

  async function say(text: string, review: Parameters<typeof channelOf>[0]) {
    const mark = h.connector.activities.length;
    await h.client.say(people.officer, text, channelOf(review));
    return textOf(replyTo(h, mark));
  }

  it('goes beyond the window only after a reconvene, audited and shown as late', async () => {
    const review = await openReview(h);
    const statutory = statutoryMeetingWindow(review, h.app.deps.profiles.get('england'));
    if (!statutory.ok) throw new Error(statutory.reason);
    const closes = statutory.window.to;

    // Without a reconvene, a time after the window is refused.
    const proposal = await askForMeeting(h, review);
    const pick = actionData(proposal, 'meeting.pick');
    const lateSlot = (day: string) => `${day}T10:00:00.000Z/${day}T12:00:00.000Z`;
    const after = await h.client.act(
      people.officer,
      'meeting.pick',
      { ...pick, slot: lateSlot('2026-12-21') },
      channelOf(review),
    );
    expect(textOf(after.body)).toContain('outside the meeting window');

    // Booked in the window; the window then passes and the meeting decided nothing.
    const booked = await bookProposedMeeting(h, review);
    expect(booked.meeting?.late).toBeUndefined();
    clock.set(`${addCalendarDays(closes, 1)}T10:00:00.000Z`);
    expect(await say('reconvene Police could not attend', booked)).toContain('It will be late');

    const late = await askForMeeting(h, booked);
    expect(textOf(late)).toContain('reconvened: the meeting window closed');
    const accept = actionData(late, 'meeting.accept');
    if (!accept) throw new Error(`no proposal: ${textOf(late).slice(0, 400)}`);
    expect(String(accept.start) > `${closes}T23:59:59Z`).toBe(true);
    await h.client.act(people.officer, 'meeting.accept', accept, channelOf(booked));
    await h.app.idle();

    const saved = await reload(h, review);
    expect(saved.state).toBe('meeting-booked');
    expect(saved.meeting?.late).toEqual({
      windowClosedOn: closes,
      reconvenedAt: saved.reconvenings?.[0].at,
    });
    const trail = await h.app.deps.store.auditTrail(review.id);
    expect(trail.filter((e) => e.action === 'meeting.booked').at(-1)?.detail).toMatchObject({
      late: { windowClosedOn: closes, because: 'reconvened' },
    });
    expect(trail.find((e) => e.action === 'meeting.reconvened')?.detail).toMatchObject({
      reason: 'Police could not attend',
    });
    expect(await say('status', saved)).toContain('late: reconvened after the meeting window closed');
  });
});
