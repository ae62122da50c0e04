import { ProfileRegistry } from '../review/profile';
import { computeTimeline, milestone, type Timeline } from './timeline';

const profiles = new ProfileRegistry();
const due = (t: Timeline) => Object.fromEntries(t.milestones.map((m) => [m.key, [m.due, m.workingDay]]));

describe('statutory timeline', () => {
  it('computes every milestone across Christmas 2026 for a clock that runs from the referral', () => {
    // Referral Mon 14 Dec 2026: 25, 28 Dec (substitute Boxing Day) and 1 Jan are not working days.
    const timeline = computeTimeline(
      { referral: '2026-12-14', aware: '2026-12-10', scopingSent: '2026-12-16', meetingHeld: '2027-01-04' },
      profiles.get('walsall'),
    );
    expect(due(timeline)).toEqual({
      'sin-due': ['2026-12-17', 3],
      'scoping-requests-sent': ['2026-12-16', 2],
      'scoping-returns-due': ['2026-12-23', 7],
      'meeting-window-opens': ['2026-12-23', 7],
      'meeting-window-closes': ['2027-01-05', 13],
      'review-complete': ['2027-01-07', 15],
      'panel-report-due': ['2027-01-06', 14],
      'panel-deadline': [null, null],
      'panel-response-expected': [null, null],
    });
    expect(timeline.clock).toEqual({
      anchor: 'referral',
      label: 'the referral to Walsall Safeguarding Partnership',
      start: '2026-12-14',
      completionDays: 15,
    });
  });

  it('reports a milestone whose anchor is unknown as not computable, naming the anchor', () => {
    const timeline = computeTimeline({ referral: '2026-12-14' }, profiles.get('england'));
    const complete = milestone(timeline, 'review-complete');
    expect(complete).toMatchObject({
      due: null,
      workingDay: null,
      pending: 'needs the date the SIN was sent',
    });
    expect(milestone(timeline, 'scoping-returns-due')?.pending).toBe(
      'needs the date scoping requests were sent',
    );
    // England's meeting window follows its clock, so it too waits for the SIN.
    expect(milestone(timeline, 'meeting-window-opens')).toMatchObject({
      due: null,
      pending: 'needs the date the SIN was sent',
    });
    // Known anchors still give dates, but no working-day number until the clock's own anchor is known.
    const walsall = computeTimeline({ referral: '2026-12-14', aware: '2026-12-10' }, profiles.get('walsall'));
    expect(milestone(walsall, 'sin-due')).toMatchObject({ due: '2026-12-17', workingDay: 3 });
    const noSin = computeTimeline({ referral: '2026-12-14', aware: '2026-12-10' }, profiles.get('england'));
    expect(milestone(noSin, 'sin-due')).toMatchObject({ due: '2026-12-17', workingDay: null });
  });

  it('runs the England clock from the SIN and numbers other milestones on that clock', () => {
    const timeline = computeTimeline(
      { referral: '2026-12-14', sinSent: '2026-12-15' },
      profiles.get('england'),
    );
    expect(milestone(timeline, 'review-complete')).toMatchObject({ due: '2027-01-08', workingDay: 15 });
    expect(milestone(timeline, 'meeting-window-closes')).toMatchObject({ due: '2027-01-06', workingDay: 13 });
  });

  it('runs the WSCP clock from the partnership receiving the referral, and Gloucestershire scoping from the SIN within 3 days', () => {
    const wscp = computeTimeline({ referral: '2027-03-24', aware: '2027-03-22' }, profiles.get('wscp'));
    // Easter 2027: Good Friday 26 Mar and Easter Monday 29 Mar are bank holidays.
    // WSCP's own arithmetic: meeting by day 13 of the referral, report 2 days later = day 15.
    expect(milestone(wscp, 'meeting-window-closes')).toMatchObject({ due: '2027-04-14', workingDay: 13 });
    expect(milestone(wscp, 'review-complete')).toMatchObject({ due: '2027-04-16', workingDay: 15 });
    const glos = computeTimeline(
      { referral: '2027-03-24', sinSent: '2027-03-25' },
      profiles.get('gloucestershire'),
    );
    expect(milestone(glos, 'scoping-requests-sent')).toMatchObject({
      due: '2027-04-01',
      from: 'sinSent',
      days: 3,
    });
  });

  it('has the post-review meeting only where the profile has one', () => {
    const anchors = {
      referral: '2026-11-02',
      sinSent: '2026-11-02',
      panelSubmitted: '2026-11-20',
      panelResponse: '2026-12-11',
    };
    const ny = computeTimeline(anchors, profiles.get('north-yorkshire'));
    expect(milestone(ny, 'panel-response-expected')).toMatchObject({
      due: '2026-12-11',
      metOn: '2026-12-11',
    });
    expect(milestone(ny, 'post-review-meeting-due')).toMatchObject({ due: '2026-12-29' });
    expect(
      milestone(computeTimeline(anchors, profiles.get('england')), 'post-review-meeting-due'),
    ).toBeUndefined();
  });

  it('uses a scoping-return timescale agreed for the review where the profile allows it', () => {
    const timeline = computeTimeline(
      { referral: '2026-12-14', scopingSent: '2026-12-15' },
      profiles.get('walsall'),
      {
        scopingReturnDays: 3,
      },
    );
    expect(milestone(timeline, 'scoping-returns-due')).toMatchObject({ due: '2026-12-18', days: 3 });
  });

  it('shows a milestone as met from the recorded anchor', () => {
    const timeline = computeTimeline(
      { referral: '2026-12-14', scopingSent: '2026-12-15' },
      profiles.get('england'),
    );
    expect(milestone(timeline, 'scoping-requests-sent')?.metOn).toBe('2026-12-15');
    expect(milestone(timeline, 'meeting-window-closes')?.metOn).toBeNull();
  });

  describe('clocks that agree (issue 11, point 1)', () => {
    it('closes the window no later than completion when the SIN is a day before the referral', () => {
      // England: with the window from the referral it closed on day 14 of the SIN's clock, and a
      // meeting on its last day left the report due on day 16, after the review should be complete.
      const anchors = { aware: '2026-12-09', sinSent: '2026-12-11', referral: '2026-12-14' };
      for (const id of ['england', 'staffordshire', 'north-yorkshire', 'gloucestershire']) {
        const timeline = computeTimeline(anchors, profiles.get(id));
        const closes = milestone(timeline, 'meeting-window-closes');
        const complete = milestone(timeline, 'review-complete');
        expect({ id, closes: closes?.workingDay }).toEqual({ id, closes: 13 });
        expect(complete?.workingDay).toBe(15);
        const withMeeting = computeTimeline(
          { ...anchors, meetingHeld: closes?.due as string },
          profiles.get(id),
        );
        expect(milestone(withMeeting, 'panel-report-due')?.due).toBe(complete?.due);
      }
    });

    it('holds Staffordshire’s meeting within 15 working days of the SIN', () => {
      const timeline = computeTimeline(
        { aware: '2027-03-01', sinSent: '2027-03-02', referral: '2027-03-10' },
        profiles.get('staffordshire'),
      );
      expect(milestone(timeline, 'meeting-window-closes')).toMatchObject({ from: 'sinSent', workingDay: 13 });
    });

    it('brings scoping returns forward to the day before the window closes when requests went out late', () => {
      const timeline = computeTimeline(
        { referral: '2026-12-14', sinSent: '2026-12-14', scopingSent: '2026-12-29' },
        profiles.get('england'),
      );
      // Window closes Tue 5 Jan 2027 (day 13 from Mon 14 Dec); sent 29 Dec + 5 would be 6 Jan.
      expect(milestone(timeline, 'meeting-window-closes')?.due).toBe('2027-01-05');
      expect(milestone(timeline, 'scoping-returns-due')).toMatchObject({
        due: '2027-01-04',
        capped: 'due before the meeting window closes (2027-01-05)',
      });
    });

    it('plans the milestones that wait for a recorded date when asked to project', () => {
      const timeline = computeTimeline(
        { referral: '2026-12-14', sinSent: '2026-12-14', aware: '2026-12-10' },
        profiles.get('england'),
        { project: true },
      );
      expect(milestone(timeline, 'scoping-returns-due')).toMatchObject({ due: '2026-12-23', workingDay: 7 });
      expect(milestone(timeline, 'panel-report-due')).toMatchObject({ workingDay: 15 });
      expect(milestone(timeline, 'panel-report-due')?.projected).toMatch(/window's last day/);
    });
  });

  describe("the Panel's own deadline (issue 11, point 2)", () => {
    it('always shows SIN sent + 15 working days, beside a clock from the referral', () => {
      const timeline = computeTimeline(
        { referral: '2026-12-14', sinSent: '2026-12-16', aware: '2026-12-10' },
        profiles.get('walsall'),
      );
      expect(milestone(timeline, 'review-complete')).toMatchObject({ due: '2027-01-07', workingDay: 15 });
      expect(milestone(timeline, 'panel-deadline')).toMatchObject({
        due: '2027-01-11',
        from: 'sinSent',
        days: 15,
        workingDay: 17,
      });
    });

    it('is pending, naming the SIN, when no SIN date is recorded', () => {
      const timeline = computeTimeline({ referral: '2026-12-14' }, profiles.get('wscp'));
      expect(milestone(timeline, 'panel-deadline')).toMatchObject({
        due: null,
        pending: 'needs the date the SIN was sent',
      });
    });
  });
});
