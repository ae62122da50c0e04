import { anchorOrderIssues, futureDateIssue, recordedAnchorIssue } from './anchorDates';

describe('anchor date rules (issue 11, point 9)', () => {
  it('refuses a date in the future', () => {
    expect(futureDateIssue('2026-12-04', '2026-12-03')).toBe('Must not be in the future');
    expect(futureDateIssue('2026-12-03', '2026-12-03')).toBeNull();
  });

  it('refuses a SIN sent before the local authority became aware', () => {
    expect(anchorOrderIssues({ aware: '2026-12-03', sinSent: '2026-12-02' })).toEqual([
      { field: 'sinSent', message: 'Must not be before the date the local authority became aware' },
    ]);
    expect(anchorOrderIssues({ aware: '2026-12-03', sinSent: '2026-12-03' })).toEqual([]);
    expect(anchorOrderIssues({ sinSent: '2026-12-02' })).toEqual([]);
  });

  it('names the field and the rule when a recorded date is refused', () => {
    const anchors = { referral: '2026-12-01', aware: '2026-11-30', sinSent: '2026-12-02' };
    expect(recordedAnchorIssue(anchors, 'sinSent', '2026-12-10', '2026-12-05')).toBe(
      'sinSent 2026-12-10: Must not be in the future (today is 2026-12-05)',
    );
    expect(recordedAnchorIssue(anchors, 'aware', '2026-12-04', '2026-12-05')).toBe(
      'aware 2026-12-04: refused, sinSent: Must not be before the date the local authority became aware (sinSent is recorded as 2026-12-02)',
    );
    expect(recordedAnchorIssue(anchors, 'sinSent', '2026-11-29', '2026-12-05')).toMatch(
      /^sinSent 2026-11-29: refused, sinSent: Must not be before .* \(aware is recorded as 2026-11-30\)$/,
    );
    expect(recordedAnchorIssue(anchors, 'referral', '2026-12-03', '2026-12-05')).toBeNull();
  });
});
