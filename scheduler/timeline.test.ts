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
    // Known anchors still give dates, but no working-day number until the clock's own anchor is known.
    expect(milestone(timeline, 'meeting-window-opens')).toMatchObject({
      due: '2026-12-23',
      workingDay: null,
    });
  });

  it('runs the England clock from the SIN and numbers other milestones on that clock', () => {
    const timeline = computeTimeline(
      { referral: '2026-12-14', sinSent: '2026-12-15' },
      profiles.get('england'),
    );
    expect(milestone(timeline, 'review-complete')).toMatchObject({ due: '2027-01-08', workingDay: 15 });
    expect(milestone(timeline, 'meeting-window-closes')).toMatchObject({ due: '2027-01-05', workingDay: 12 });
  });

  it('runs the WSCP clock from awareness, and Gloucestershire scoping from the SIN within 3 days', () => {
    const wscp = computeTimeline({ referral: '2027-03-24', aware: '2027-03-22' }, profiles.get('wscp'));
    // Easter 2027: Good Friday 26 Mar and Easter Monday 29 Mar are bank holidays.
    expect(milestone(wscp, 'review-complete')).toMatchObject({ due: '2027-04-14', workingDay: 15 });
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
});
