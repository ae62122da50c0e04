/** Who is owed a nudge, on which day, and who is not. */
import type { Review } from '../review/model';
import { loadProfiles, type PartnershipProfile } from '../review/profile';
import { sampleReview } from '../test/fixtures/sampleReview';
import { reviewStatus } from './reviewStatus';
import { channelDeepLink, nudgesOn } from './nudges';
import { calendarFor } from './workingDayCalendar';

const england = loadProfiles().get('england') as PartnershipProfile;
const calendar = calendarFor(england.calendar);

function review(overrides: Partial<Review> = {}): Review {
  const base = sampleReview(overrides);
  return {
    ...base,
    teamspace: { ...base.teamspace, channelId: '19:rr-channel@thread.tacv2', ...overrides.teamspace },
  };
}

function returnsDue(r: Review): string {
  const due = reviewStatus(r, england, '2026-03-04', calendar).milestones.find(
    (m) => m.key === 'scoping-returns-due',
  )?.due;
  if (!due) throw new Error('no due date');
  return due;
}

describe('nudgesOn', () => {
  it('owes each representative of an agency not returned one nudge the working day before', () => {
    const r = review();
    const due = returnsDue(r);
    const dayBefore = calendar.addWorkingDays(due, -1);
    const nudges = nudgesOn(r, england, dayBefore, calendar);
    expect(nudges).toHaveLength(r.agencies.length);
    expect(new Set(nudges.map((n) => n.kind))).toEqual(new Set(['nudge:return-due-tomorrow']));
    expect(nudges.every((n) => n.target === 'person' && n.recipient?.aadObjectId)).toBe(true);
    // Two days before and on the day itself: nothing.
    expect(nudgesOn(r, england, calendar.addWorkingDays(due, -2), calendar)).toHaveLength(0);
    expect(nudgesOn(r, england, due, calendar)).toHaveLength(0);
  });

  it('leaves out agencies that returned and people with no object id', () => {
    const base = review();
    const r: Review = {
      ...base,
      scopingReturns: base.scopingReturns.map((s) =>
        s.agencyId === 'police' ? { ...s, status: 'submitted', revision: 1 } : s,
      ),
      agencies: base.agencies.map((a) =>
        a.id === 'la' ? { ...a, representatives: [{ name: 'No Id', email: 'no.id@example.org' }] } : a,
      ),
    };
    const names = nudgesOn(r, england, calendar.addWorkingDays(returnsDue(r), -1), calendar).map(
      (n) => n.recipient?.name,
    );
    expect(names).not.toContain('Sam Specimen');
    expect(names).not.toContain('No Id');
    expect(names).toContain('Alex Dummyrep');
  });

  it('keys an overdue nudge by the deadline, not the day, so it is one nudge however long it stays overdue', () => {
    const r = review();
    const due = returnsDue(r);
    const first = nudgesOn(r, england, calendar.addWorkingDays(due, 1), calendar);
    const later = nudgesOn(r, england, calendar.addWorkingDays(due, 4), calendar);
    expect(first.length).toBeGreaterThan(0);
    expect(first.every((n) => n.kind === 'nudge:return-overdue')).toBe(true);
    expect(later.map((n) => n.key)).toEqual(first.map((n) => n.key));
  });

  it('names the review by reference only and links to its channel', () => {
    const r = review();
    const [n] = nudgesOn(r, england, calendar.addWorkingDays(returnsDue(r), -1), calendar);
    expect(n.text.startsWith(`${r.reference}:`)).toBe(true);
    for (const detail of ['Child A', 'Zoë', 'Fictional', 'Nowhere', '2019'])
      expect(n.text).not.toContain(detail);
    expect(n.link?.url).toBe(channelDeepLink(r));
    expect(n.link?.url).toMatch(
      /^https:\/\/teams\.microsoft\.com\/l\/channel\/19%3Arr-channel%40thread\.tacv2\//,
    );
  });

  it('owes nothing before the review has a channel, or once it is closed', () => {
    const base = sampleReview();
    const dayBefore = calendar.addWorkingDays(returnsDue(base), -1);
    expect(nudgesOn(base, england, dayBefore, calendar)).toHaveLength(0);
    expect(nudgesOn(review({ state: 'closed' }), england, dayBefore, calendar)).toHaveLength(0);
  });

  it('nudges partner leads who have not signed off a recorded outcome', () => {
    const r = review({
      state: 'decided',
      scopingReturns: sampleReview().scopingReturns.map((s) => ({ ...s, status: 'submitted', revision: 1 })),
      outcome: {
        rationale: 'r',
        immediateActions: 'a',
        learning: 'l',
        recordedBy: { name: 'Chair' },
        recordedAt: '2026-03-20T15:00:00.000Z',
      },
      signOffs: [{ agencyKind: 'icb', by: { name: 'Casey Samplelead' }, at: '2026-03-20T16:00:00.000Z' }],
    });
    const leads = nudgesOn(r, england, '2026-03-23', calendar).map((n) => n.recipient?.name);
    expect(leads.sort()).toEqual(['Jordan Mocklead', 'Morgan Testlead']);
  });

  it('nudges the chair of a booked meeting on its day only', () => {
    const chair = { name: 'Chris Chair', aadObjectId: '00000000-0000-4000-8000-0000000c4a12' };
    const r = review({
      state: 'meeting-booked',
      scopingReturns: sampleReview().scopingReturns.map((s) => ({ ...s, status: 'submitted', revision: 1 })),
      meeting: {
        status: 'booked',
        start: '2026-03-20T14:00:00.000Z',
        end: '2026-03-20T15:00:00.000Z',
        transactionId: 't',
        chair,
      },
    });
    expect(nudgesOn(r, england, '2026-03-19', calendar)).toHaveLength(0);
    const onTheDay = nudgesOn(r, england, '2026-03-20', calendar);
    expect(onTheDay.map((n) => [n.kind, n.recipient?.name])).toEqual([
      ['nudge:meeting-today', 'Chris Chair'],
    ]);
    expect(onTheDay[0].text).toContain('today at 14:00');
    const held = {
      ...r,
      meeting: { ...(r.meeting as NonNullable<Review['meeting']>), status: 'held' as const },
    };
    expect(nudgesOn(held, england, '2026-03-20', calendar)).toHaveLength(0);
  });
});
