import { sampleReview } from '../test/fixtures/sampleReview';
import { isReviewMember, partnershipAuditId, refusedAttemptAudit } from './refusals';

describe('review membership', () => {
  const review = sampleReview();
  const rep = review.agencies[1].representatives[0];
  const lead = review.agencies[0].lead;
  const stranger = { aadObjectId: '99999999-0000-4000-8000-000000000000', name: 'Stranger' };
  const chair = { email: 'Chair@Partnership.example', name: 'Chair' };

  it('counts the business unit, representatives, partner leads, the opener and the chair, nobody else', () => {
    expect(isReviewMember(review, { person: stranger, businessUnit: true })).toBe(true);
    expect(isReviewMember(review, { person: rep, businessUnit: false })).toBe(true);
    expect(isReviewMember(review, { person: lead!, businessUnit: false })).toBe(true);
    expect(isReviewMember(review, { person: review.openedBy, businessUnit: false })).toBe(true);
    expect(isReviewMember(review, { person: stranger, businessUnit: false })).toBe(false);
    const asChair = { person: { email: 'chair@partnership.example', name: 'C' }, businessUnit: false };
    expect(isReviewMember(review, asChair)).toBe(false);
    expect(isReviewMember(review, asChair, chair)).toBe(true);
  });

  it('does not take a bare name for a person', () => {
    expect(isReviewMember(review, { person: { name: rep.name }, businessUnit: false })).toBe(false);
  });
});

describe('refused attempts', () => {
  it('go to the partnership’s trail unless they name a review, with a count but no field names', () => {
    const line = refusedAttemptAudit({
      actor: { person: { name: 'X', aadObjectId: 'x' }, businessUnit: false },
      at: '2026-12-02T10:00:00.000Z',
      action: 'review.open',
      code: 'not-text',
      place: 'personal',
      refusedValues: 3,
    });
    expect(line).toEqual({
      reviewId: partnershipAuditId,
      at: '2026-12-02T10:00:00.000Z',
      actor: { name: 'X', aadObjectId: 'x' },
      action: 'review.open.refused',
      detail: { reason: 'not-text', place: 'personal', refusedValues: 3 },
    });
  });
});
