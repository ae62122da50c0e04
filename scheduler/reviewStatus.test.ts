import type { Review, ScopingReturn } from '../review/model';
import { ProfileRegistry } from '../review/profile';
import { sampleReview } from '../test/fixtures/sampleReview';
import { portfolioRow, reviewStatus, type ReviewStatusView } from './reviewStatus';
import { WorkingDayCalendar } from './workingDayCalendar';

const profiles = new ProfileRegistry();
const england = profiles.get('england');
const walsall = profiles.get('walsall');

/**
 * A review opened the week before Christmas 2026. Days off: Fri 25 Dec, Mon 28 Dec (substitute
 * Boxing Day) and Fri 1 Jan 2027.
 *   aware Wed 16 Dec, referral Thu 17 Dec, SIN sent Fri 18 Dec, scoping requests sent Mon 21 Dec.
 *   Returns due 5 working days after Mon 21 Dec: 22, 23, 24, 29, 30 → Wed 30 Dec.
 *   Meeting window (from the SIN, England's clock): day 7 = Thu 31 Dec, day 13 = Mon 11 Jan.
 *   Complete (15 working days from the SIN, England): Wed 13 Jan 2027.
 */
function christmasReview(overrides: Partial<Review> = {}): Review {
  return sampleReview({
    anchors: {
      aware: '2026-12-16',
      referral: '2026-12-17',
      sinSent: '2026-12-18',
      scopingSent: '2026-12-21',
    },
    scopingReturnDays: undefined,
    ...overrides,
  });
}

function submitted(review: Review, agencyIds: string[], at = '2026-12-22T10:00:00.000Z'): ScopingReturn[] {
  return review.scopingReturns.map((r) =>
    agencyIds.includes(r.agencyId)
      ? {
          ...r,
          status: 'submitted' as const,
          revision: 1,
          submittedAt: at,
          submittedBy: { name: 'Sam Specimen', email: 'sam@police.example.org' },
        }
      : r,
  );
}

function milestoneOf(view: ReviewStatusView, key: string) {
  const found = view.milestones.find((m) => m.key === key);
  if (!found) throw new Error(`no milestone ${key}`);
  return found;
}

describe('reviewStatus', () => {
  it('counts the clock and the deadlines across Christmas 2026', () => {
    const view = reviewStatus(christmasReview(), england, '2026-12-24');
    // SIN Fri 18 Dec → 21, 22, 23, 24 Dec: today is day 4; the referral (Thu 17) adds Fri 18.
    expect(view.clock).toMatchObject({ anchor: 'sinSent', start: '2026-12-18', workingDay: 4 });
    expect(view.clock.text).toBe('day 4 of 15');
    expect(view.clock.referral).toEqual({
      start: '2026-12-17',
      workingDay: 5,
      text: 'day 5 since the referral',
    });
    expect(milestoneOf(view, 'scoping-returns-due')).toMatchObject({
      state: 'due',
      due: '2026-12-30',
      workingDaysLeft: 2,
      summary: 'due Wed 30 Dec, in 2 working days',
    });
    expect(milestoneOf(view, 'review-complete')).toMatchObject({ state: 'due', due: '2027-01-13' });
    expect(view.next).toEqual({
      key: 'scoping-returns-due',
      label: 'Scoping returns due',
      due: '2026-12-30',
      workingDaysLeft: 2,
    });
    expect(view.rag).toBe('amber');
  });

  it('does not move the count on Christmas Day, a day off', () => {
    const eve = reviewStatus(christmasReview(), england, '2026-12-24');
    const christmas = reviewStatus(christmasReview(), england, '2026-12-25');
    expect(christmas.clock.workingDay).toBe(eve.clock.workingDay);
    expect(milestoneOf(christmas, 'scoping-returns-due').workingDaysLeft).toBe(2);
  });

  it('marks milestones met by a recorded date as done, and unknown ones as pending with the reason', () => {
    const view = reviewStatus(christmasReview(), england, '2026-12-24');
    expect(milestoneOf(view, 'sin-due')).toMatchObject({ state: 'done', metOn: '2026-12-18' });
    expect(milestoneOf(view, 'scoping-requests-sent')).toMatchObject({ state: 'done', metOn: '2026-12-21' });
    expect(milestoneOf(view, 'panel-report-due')).toMatchObject({
      state: 'pending',
      due: null,
      reason: 'needs the date of the review meeting',
    });
  });

  it('reports the clock as not started when its anchor is unknown, with the referral day beside it', () => {
    const review = christmasReview({
      anchors: { aware: '2026-12-16', referral: '2026-12-17' },
    });
    const view = reviewStatus(review, england, '2026-12-22');
    expect(view.clock.workingDay).toBeNull();
    expect(view.clock.text).toMatch(/^not started/);
    expect(view.clock.referral?.workingDay).toBe(3);
    expect(milestoneOf(view, 'review-complete')).toMatchObject({
      state: 'pending',
      reason: 'needs the date the SIN was sent',
    });
  });

  it('marks a return that says records are not secured or no alert was added as needing attention', () => {
    const base = christmasReview();
    const returns = submitted(base, ['la', 'police']).map((r) =>
      r.agencyId === 'police'
        ? {
            ...r,
            answers: {
              involvement: 'yes' as const,
              recordsSecured: false,
              alertAdded: false,
              staffInformed: true,
              seniorLeadersSighted: true,
            },
          }
        : r,
    );
    const view = reviewStatus({ ...base, scopingReturns: returns }, england, '2026-12-24');
    const police = view.returns.find((r) => r.agencyId === 'police');
    expect(police?.needsAttention).toEqual([
      'records not secured',
      'no "subject to a Rapid Review" alert on the records',
    ]);
    expect(police?.summary).toMatch(/^submitted .*; needs attention: records not secured; no /);
    expect(view.returns.find((r) => r.agencyId === 'la')?.needsAttention).toEqual([]);
  });

  it('turns red when a deadline has passed, naming the agencies still outstanding', () => {
    const base = christmasReview();
    const review = { ...base, scopingReturns: submitted(base, ['la', 'icb']) };
    // Returns were due Wed 30 Dec; Thu 31 Dec is one working day later.
    const view = reviewStatus(review, england, '2026-12-31');
    expect(milestoneOf(view, 'scoping-returns-due')).toMatchObject({
      state: 'overdue',
      workingDaysOverdue: 1,
      summary: 'overdue by 1 working day (was due Wed 30 Dec)',
    });
    expect(view.rag).toBe('red');
    const outstanding = view.returns.filter((r) => r.overdue).map((r) => r.agencyId);
    expect(outstanding).toContain('police');
    expect(outstanding).not.toContain('la');
    expect(view.returns.find((r) => r.agencyId === 'la')).toMatchObject({
      status: 'submitted',
      revision: 1,
      submittedAt: '2026-12-22T10:00:00.000Z',
      submittedBy: 'Sam Specimen',
      overdue: false,
    });
  });

  it('is overdue by 0 working days when only a day off has passed since the deadline', () => {
    // Returns due 6 working days after Mon 21 Dec = Thu 31 Dec; Fri 1 Jan 2027 is New Year's Day.
    const view = reviewStatus(christmasReview({ scopingReturnDays: 6 }), england, '2027-01-01');
    expect(milestoneOf(view, 'scoping-returns-due')).toMatchObject({
      state: 'overdue',
      due: '2026-12-31',
      workingDaysOverdue: 0,
      summary: 'overdue: was due Thu 31 Dec',
    });
    expect(view.rag).toBe('red');
  });

  it('marks the returns milestone done once every agency has returned, on the last return’s date', () => {
    const base = christmasReview();
    const all = submitted(
      base,
      base.agencies.map((a) => a.id),
    ).map((r) => (r.agencyId === 'school' ? { ...r, submittedAt: '2026-12-29T23:30:00.000Z' } : r));
    const view = reviewStatus({ ...base, scopingReturns: all }, england, '2026-12-31');
    // 23:30 UTC on 29 Dec is still 29 Dec in London (GMT in winter).
    expect(milestoneOf(view, 'scoping-returns-due')).toMatchObject({ state: 'done', metOn: '2026-12-29' });
    expect(view.returns.every((r) => !r.overdue)).toBe(true);
  });

  it('is green when the next deadline is more than two working days away', () => {
    // Mon 21 Dec: returns due Wed 30 Dec are 5 working days away; the window opening is not a deadline.
    const view = reviewStatus(christmasReview(), england, '2026-12-21');
    expect(view.next?.key).toBe('scoping-returns-due');
    expect(view.next?.workingDaysLeft).toBe(5);
    expect(view.rag).toBe('green');
  });

  it('says a deadline falling today is due in 0 working days, and turns amber', () => {
    const view = reviewStatus(christmasReview(), england, '2026-12-30');
    expect(milestoneOf(view, 'scoping-returns-due')).toMatchObject({
      state: 'due',
      workingDaysLeft: 0,
      summary: 'due today (Wed 30 Dec)',
    });
    expect(milestoneOf(view, 'meeting-window-opens').state).toBe('due');
    expect(view.rag).toBe('amber');
  });

  it('shows one count only when the clock runs from the referral', () => {
    const view = reviewStatus(christmasReview({ profileId: 'walsall' }), walsall, '2026-12-24');
    expect(view.clock).toMatchObject({ anchor: 'referral', workingDay: 5, text: 'day 5 of 15' });
    expect(view.clock.referral).toBeNull();
  });

  it('uses the calendar it is given, e.g. a council closure between Christmas and New Year', () => {
    const closed = new WorkingDayCalendar({
      region: 'ENG',
      closureDays: ['2026-12-29', '2026-12-30', '2026-12-31'],
    });
    const view = reviewStatus(christmasReview(), england, '2026-12-24', closed);
    // 22, 23, 24 Dec, then Mon 4 and Tue 5 Jan 2027.
    expect(milestoneOf(view, 'scoping-returns-due')).toMatchObject({ due: '2027-01-05', workingDaysLeft: 2 });
  });

  it('never shows a closed review as overdue', () => {
    const view = reviewStatus(christmasReview({ state: 'closed' }), england, '2027-03-01');
    expect(view.milestones.some((m) => m.state === 'overdue')).toBe(false);
    expect(view.returns.some((r) => r.overdue)).toBe(false);
    expect(view.rag).toBe('green');
    expect(view.next).toBeNull();
  });
});

describe('a SIN-anchored review with no SIN date (issue 11, point 2)', () => {
  const noSin = () => christmasReview({ anchors: { aware: '2026-12-16', referral: '2026-12-17' } });

  it('says so loudly on the status view and the portfolio row, and is not green', () => {
    const view = reviewStatus(noSin(), england, '2026-12-21');
    expect(view.missingClockAnchor).toBe(
      'No SIN date recorded: the statutory deadline cannot be computed — record sin DATE',
    );
    expect(view.rag).toBe('amber');
    expect(milestoneOf(view, 'panel-deadline')).toMatchObject({
      state: 'pending',
      reason: 'needs the date the SIN was sent',
    });
    expect(portfolioRow(noSin(), england, '2026-12-21').missingClockAnchor).toBe(view.missingClockAnchor);
    expect(reviewStatus(christmasReview(), england, '2026-12-21').missingClockAnchor).toBeNull();
    // A clock from the referral runs without the SIN, but the Panel's deadline still waits for it.
    const walsallView = reviewStatus(noSin(), walsall, '2026-12-21');
    expect(walsallView.missingClockAnchor).toBeNull();
    expect(milestoneOf(walsallView, 'panel-deadline').reason).toBe('needs the date the SIN was sent');
  });

  it('shows the Panel deadline beside a clock from the referral, and lists it overdue once only', () => {
    const view = reviewStatus(christmasReview(), walsall, '2027-01-20');
    expect(milestoneOf(view, 'panel-deadline')).toMatchObject({ due: '2027-01-13', state: 'overdue' });
    const england20 = portfolioRow(christmasReview(), england, '2027-01-20');
    expect(england20.overdue.filter((l) => /complete|deadline/.test(l))).toEqual(['Rapid Review complete']);
  });
});

describe('the post Rapid Review meeting (issue 11, point 6)', () => {
  const northYorkshire = profiles.get('north-yorkshire');
  const responded = christmasReview({
    profileId: 'north-yorkshire',
    state: 'panel-responded',
    anchors: {
      aware: '2026-12-16',
      referral: '2026-12-17',
      sinSent: '2026-12-18',
      scopingSent: '2026-12-21',
      panelSubmitted: '2027-01-13',
      panelResponse: '2027-01-20',
    },
  });
  const postMeeting = (view: ReviewStatusView) =>
    view.milestones.find((m) => m.key === 'post-review-meeting-due');

  it('is overdue until it is recorded as held, then done on the day it was held', () => {
    const today = '2027-03-01';
    expect(postMeeting(reviewStatus(responded, northYorkshire, today))?.state).toBe('overdue');
    const held = reviewStatus(
      {
        ...responded,
        postReviewMeeting: {
          heldOn: '2027-02-10',
          panelResponse: 'Panel agrees: no LCSPR',
          nextSteps: 'Single-agency learning',
          parentalEngagement: 'Mother informed by the social worker',
          recordedBy: { name: 'Bea Unit' },
          recordedAt: '2027-02-10T16:00:00.000Z',
        },
      },
      northYorkshire,
      today,
    );
    expect(postMeeting(held)).toMatchObject({ state: 'done', metOn: '2027-02-10' });
  });
});

describe('portfolioRow', () => {
  it('summarises a review by reference and pseudonym, with no subject data', () => {
    const base = christmasReview({ pseudonym: 'Child C' });
    const review = { ...base, scopingReturns: submitted(base, ['la', 'police', 'icb']) };
    const row = portfolioRow(review, england, '2026-12-31');
    expect(row).toMatchObject({
      reference: review.reference,
      pseudonym: 'Child C',
      state: 'scoping',
      // SIN Fri 18 Dec → 21, 22, 23, 24, 29, 30, 31 Dec.
      workingDay: 7,
      rag: 'red',
      overdue: ['Scoping returns due'],
      returns: { submitted: 3, total: review.agencies.length },
    });
    // Window closes Mon 11 Jan 2027 (day 13 from the SIN): 4, 5, 6, 7, 8, 11 Jan = 6 working days.
    expect(row.next).toEqual({
      label: 'Review meeting window closes',
      due: '2027-01-11',
      workingDaysLeft: 6,
    });
    const text = JSON.stringify(row);
    const subject = review.subject;
    for (const secret of [
      subject.childName,
      subject.dateOfBirth,
      subject.address,
      ...subject.familyMembers.map((f) => f.name),
    ]) {
      expect(text).not.toContain(secret);
    }
  });
});
