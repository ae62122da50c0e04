/**
 * Nudges from the running bot: a 1:1 message to the one person who owes something today, in their
 * chat with the bot (the app installed for them through Graph first), once, on a working day at the
 * alert hour, never to someone who has done it.
 */
import type { Review } from '../../review/model';
import { loadProfiles, type PartnershipProfile } from '../../review/profile';
import { reviewStatus } from '../../scheduler/reviewStatus';
import { londonWallClockToInstant } from '../../scheduler/slotFinder';
import { calendarFor } from '../../scheduler/workingDayCalendar';
import {
  fixedClock,
  openReviewValues,
  people,
  scopingReturnValues,
  startHarness,
  teamId,
  type Harness,
} from './harness';

const england = loadProfiles().get('england') as PartnershipProfile;
const calendar = calendarFor(england.calendar);

describe('nudges in people’s 1:1 chats', () => {
  let h: Harness;
  const clock = fixedClock('2026-12-02T10:00:00.000Z');
  let review: Review;
  let returnsDue: string;

  /** What reached people's 1:1 chats with the bot since `from`. */
  function nudgesSince(from: number) {
    return h.connector.activities
      .slice(from)
      .filter((a) => a.conversationId.endsWith('@unq.gbl.spaces'))
      .map((a) => ({ chat: a.conversationId, activity: a.activity, json: JSON.stringify(a.activity) }));
  }

  function chatOf(person: { aadObjectId: string }): RegExp {
    return new RegExp(`^19:${person.aadObjectId}_.+@unq\\.gbl\\.spaces$`);
  }

  async function run(iso: string) {
    clock.set(iso);
    const result = await h.app.runAlerts?.();
    if (!result) throw new Error('alerts are not running');
    return result;
  }

  async function change(apply: (current: Review) => Review) {
    const outcome = await h.app.deps.store.updateReview(review.id, (current) => ({
      ok: true,
      review: apply(current),
      audit: [],
    }));
    if (!outcome.ok) throw new Error('the change was refused');
  }

  beforeEach(async () => {
    clock.set('2026-12-02T10:00:00.000Z');
    h = await startHarness({ clock });
    await h.client.act(people.officer, 'review.open', openReviewValues());
    await h.app.idle();
    const found = await h.app.deps.store.findByReference('RR-2026-001');
    if (!found) throw new Error('the review was not opened');
    review = found;
    const due = reviewStatus(review, england, '2026-12-02', calendar).milestones.find(
      (m) => m.key === 'scoping-returns-due',
    )?.due;
    if (!due) throw new Error('no scoping-return date');
    returnsDue = due;
  });
  afterEach(async () => h.close());

  it('nudges each representative once, the working day before returns are due, at the alert hour, by reference only', async () => {
    const dayBefore = calendar.addWorkingDays(returnsDue, -1);
    const before = h.connector.activities.length;
    // Before the alert hour nothing goes.
    await run(londonWallClockToInstant(dayBefore, 8 * 60 + 30).toISOString());
    expect(nudgesSince(before)).toHaveLength(0);

    await run(londonWallClockToInstant(dayBefore, 9 * 60 + 5).toISOString());
    const sent = nudgesSince(before);
    for (const rep of [people.laRep, people.policeRep, people.icbRep, people.schoolRep]) {
      const theirs = sent.filter((n) => chatOf(rep).test(n.chat));
      expect(theirs).toHaveLength(1);
      expect(theirs[0].json).toContain('RR-2026-001');
      expect(theirs[0].json).toMatch(/scoping return is due (tomorrow|on the next working day)/);
      // The button opens the review's channel.
      const card = (theirs[0].activity.attachments as { content: Record<string, unknown> }[])[0].content;
      const action = (card.actions as { type: string; url: string }[])[0];
      expect(action.type).toBe('Action.OpenUrl');
      expect(action.url).toContain(
        `https://teams.microsoft.com/l/channel/${encodeURIComponent(review.teamspace.channelId as string)}/`,
      );
      expect(action.url).toContain(`groupId=${teamId}`);
      for (const detail of ['Zebedee', 'Quartermaine', 'Child A', 'Nowhere Lane', '2015']) {
        expect(theirs[0].json).not.toContain(detail);
      }
    }
    // Nobody else: not the officer, not the chair.
    expect(
      sent.filter((n) => chatOf(people.officer).test(n.chat) || chatOf(people.chair).test(n.chat)),
    ).toHaveLength(0);
    // The app was installed for each of them through Graph.
    expect(h.sandbox.state.personalApps[people.policeRep.aadObjectId]).toHaveLength(1);

    // The next tick, and a tick later the same day, send nothing again.
    const after = h.connector.activities.length;
    await run(londonWallClockToInstant(dayBefore, 9 * 60 + 10).toISOString());
    await run(londonWallClockToInstant(dayBefore, 15 * 60).toISOString());
    expect(nudgesSince(after)).toHaveLength(0);
  });

  it('holds a nudge while Graph refuses to install the app, and sends it once the permission is granted', async () => {
    const permission = 'TeamsAppInstallation.ReadWriteSelfForUser.All';
    h.sandbox.revoke(permission);
    const dayBefore = calendar.addWorkingDays(returnsDue, -1);
    const before = h.connector.activities.length;
    const held = await run(londonWallClockToInstant(dayBefore, 9 * 60 + 5).toISOString());
    expect(nudgesSince(before)).toHaveLength(0);
    expect(held.held).toBeGreaterThanOrEqual(4);
    expect(
      h.sandbox.requests.some((r) => r.path.includes('/teamwork/installedApps') && r.status === 403),
    ).toBe(true);
    h.sandbox.setGrants([...h.sandbox.grants, permission]);
    // Held rows are asked about again after a quarter of an hour.
    await run(londonWallClockToInstant(dayBefore, 9 * 60 + 25).toISOString());
    expect(nudgesSince(before).filter((n) => chatOf(people.laRep).test(n.chat))).toHaveLength(1);
  });

  it('does not nudge someone whose agency has returned', async () => {
    const police = review.agencies.find((a) => a.kind === 'police');
    if (!police) throw new Error('no police agency');
    const submitted = await h.client.act(
      people.policeRep,
      'scopingReturn.submit',
      { reviewId: review.id, agencyId: police.id, ...scopingReturnValues() },
      { kind: 'channel', channelId: review.teamspace.channelId as string, teamId },
    );
    expect(submitted.status).toBe(200);
    await h.app.idle();
    const before = h.connector.activities.length;
    await run(londonWallClockToInstant(calendar.addWorkingDays(returnsDue, -1), 9 * 60 + 5).toISOString());
    const sent = nudgesSince(before);
    expect(sent.filter((n) => chatOf(people.policeRep).test(n.chat))).toHaveLength(0);
    expect(sent.filter((n) => chatOf(people.laRep).test(n.chat))).toHaveLength(1);
  });

  it('sends nothing on a weekend or a bank holiday, and an overdue nudge once on the next working day', async () => {
    // Christmas Day 2026 is a Friday bank holiday, the 26th a Saturday, the 28th the substitute Boxing Day.
    const before = h.connector.activities.length;
    for (const day of ['2026-12-25', '2026-12-26', '2026-12-27', '2026-12-28']) {
      await run(londonWallClockToInstant(day, 10 * 60).toISOString());
    }
    expect(nudgesSince(before)).toHaveLength(0);
    expect(returnsDue < '2026-12-29').toBe(true);
    await run(londonWallClockToInstant('2026-12-29', 10 * 60).toISOString());
    const overdue = nudgesSince(before);
    expect(overdue.filter((n) => chatOf(people.laRep).test(n.chat))).toHaveLength(1);
    expect(overdue[0].json).toContain('overdue');
    const after = h.connector.activities.length;
    await run(londonWallClockToInstant('2026-12-30', 10 * 60).toISOString());
    expect(nudgesSince(after)).toHaveLength(0);
  });

  it('nudges the chair on the meeting day only', async () => {
    const meetingDay = '2026-12-16';
    await change((current) => ({
      ...current,
      state: 'meeting-booked',
      // Every return in, so the chair's is the only nudge owed.
      scopingReturns: current.scopingReturns.map((r) => ({ ...r, status: 'submitted', revision: 1 })),
      meeting: {
        status: 'booked',
        start: londonWallClockToInstant(meetingDay, 14 * 60).toISOString(),
        end: londonWallClockToInstant(meetingDay, 15 * 60).toISOString(),
        transactionId: 'meeting-1',
        chair: { name: people.chair.name, email: people.chair.email, aadObjectId: people.chair.aadObjectId },
      },
    }));
    const before = h.connector.activities.length;
    await run(londonWallClockToInstant('2026-12-15', 10 * 60).toISOString());
    expect(nudgesSince(before)).toHaveLength(0);
    await run(londonWallClockToInstant(meetingDay, 9 * 60 + 5).toISOString());
    const sent = nudgesSince(before);
    expect(sent).toHaveLength(1);
    expect(sent[0].chat).toMatch(chatOf(people.chair));
    expect(sent[0].json).toContain('RR-2026-001: you chair the review meeting today at 14:00');
  });

  it('nudges a partner lead whose sign-off is awaited, not one who has signed', async () => {
    await change((current) => ({
      ...current,
      state: 'decided',
      scopingReturns: current.scopingReturns.map((r) => ({ ...r, status: 'submitted', revision: 1 })),
      anchors: { ...current.anchors, meetingHeld: '2026-12-16' },
      outcome: {
        lcspr: 'no',
        nationalImportance: 'no',
        rationale: 'r',
        immediateActions: 'a',
        learning: 'l',
        recordedBy: { name: people.chair.name, aadObjectId: people.chair.aadObjectId },
        recordedAt: londonWallClockToInstant('2026-12-16', 15 * 60).toISOString(),
      },
      signOffs: [
        {
          agencyKind: 'police',
          by: { name: people.policeRep.name, aadObjectId: people.policeRep.aadObjectId },
          at: londonWallClockToInstant('2026-12-16', 16 * 60).toISOString(),
        },
      ],
    }));
    const before = h.connector.activities.length;
    await run(londonWallClockToInstant('2026-12-17', 9 * 60 + 5).toISOString());
    const sent = nudgesSince(before);
    expect(sent.filter((n) => chatOf(people.laRep).test(n.chat))).toHaveLength(1);
    expect(sent.filter((n) => chatOf(people.icbRep).test(n.chat))).toHaveLength(1);
    expect(sent.filter((n) => chatOf(people.policeRep).test(n.chat))).toHaveLength(0);
    expect(sent[0].json).toContain('awaits your sign-off');
  });
});
