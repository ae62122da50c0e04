import { ProfileRegistry } from './profile';
import { recordScopingPeriod, scopingPeriodIssue, scopingPeriodText } from './scopingPeriod';
import { sampleReview } from '../test/fixtures/sampleReview';

const profiles = new ProfileRegistry();
const staffordshire = profiles.get('staffordshire');
const england = profiles.get('england');
const officer = { person: { name: 'Bea Unit', email: 'bea@example.org' }, businessUnit: true };
const at = '2026-12-02T10:00:00.000Z';
const iso = (d: string) => d;

describe('a scoping period agreed per review (issue 11, point 9; Staffordshire)', () => {
  it('is a Staffordshire setting, not England’s', () => {
    expect(staffordshire.scopingPeriod.agreedPerReview).toBe(true);
    expect(england.scopingPeriod.agreedPerReview).toBe(false);
  });

  it('refuses a period ending in the future or before it starts, naming the field and the rule', () => {
    expect(scopingPeriodIssue('2024-12-01', '2026-12-03', '2026-12-02')).toBe(
      'to 2026-12-03: Must not be in the future (today is 2026-12-02)',
    );
    expect(scopingPeriodIssue('2026-12-01', '2026-11-30', '2026-12-02')).toBe(
      'to 2026-11-30: Must not be before the start of the period (from 2026-12-01)',
    );
    expect(scopingPeriodIssue('2024-12-01', '2026-11-30', '2026-12-02')).toBeNull();
  });

  it('is recorded by the business unit where the profile agrees one, audited', () => {
    const review = sampleReview({ profileId: 'staffordshire' });
    const period = { from: '2024-12-01', to: '2026-11-30' };
    const result = recordScopingPeriod(review, staffordshire, period, officer, at, '2026-12-02');
    expect(result.ok && result.review.scopingPeriod).toEqual(period);
    expect(result.audit?.[0]).toMatchObject({ action: 'scoping-period.recorded', detail: { ...period } });
    const refused = recordScopingPeriod(review, england, period, officer, at, '2026-12-02');
    expect(refused).toMatchObject({
      ok: false,
      reason: 'England (Working Together 2023 defaults) does not agree a scoping period per review',
    });
    const notBu = recordScopingPeriod(
      review,
      staffordshire,
      period,
      { ...officer, businessUnit: false },
      at,
      '2026-12-02',
    );
    expect(notBu).toMatchObject({ ok: false, reason: 'only the business unit records the scoping period' });
  });

  it('is shown on the card: the period, or that it is still to be agreed', () => {
    const review = sampleReview({ profileId: 'staffordshire' });
    expect(scopingPeriodText(review, staffordshire, iso)).toBe(
      'not agreed yet: the business unit records it (record scoping-period FROM TO)',
    );
    const agreed = { ...review, scopingPeriod: { from: '2024-12-01', to: '2026-11-30' } };
    expect(scopingPeriodText(agreed, staffordshire, iso)).toBe('2024-12-01 to 2026-11-30');
    expect(scopingPeriodText(review, england, iso)).toBeNull();
  });
});
