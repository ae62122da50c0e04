import { fieldErrors } from './formFields';
import { outcomeSubmission } from './outcomeSubmission';

describe('outcomeSubmission', () => {
  const values = {
    reviewId: 'review-1',
    lcspr: 'yes',
    nationalImportance: 'no',
    rationale: 'Meets the criteria for a local review.',
    immediateActions: 'Strategy discussion held.',
    learning: 'Information sharing after call-outs.',
  };

  it('gives the outcome the lifecycle records', () => {
    expect(outcomeSubmission().safeParse(values).data).toEqual({
      reviewId: 'review-1',
      outcome: {
        lcspr: 'yes',
        nationalImportance: 'no',
        rationale: 'Meets the criteria for a local review.',
        immediateActions: 'Strategy discussion held.',
        learning: 'Information sharing after call-outs.',
      },
    });
  });

  it('asks the two questions apart (LCSPR; national importance) and requires every text (issue 11, point 5)', () => {
    expect(fieldErrors(outcomeSubmission().safeParse({ reviewId: 'r', lcspr: 'scr' }))).toEqual({
      lcspr: 'Must be one of: yes, no, other-learning-review, no-further-review',
      nationalImportance: 'Required: may the case raise issues of national importance?',
      rationale: 'Required: the Panel reads the rationale',
      immediateActions: 'Required: write "None" if no immediate safeguarding action is needed',
      learning: 'Required: write "None identified yet" if so',
    });
    expect(fieldErrors(outcomeSubmission().safeParse({ ...values, lcspr: '' }))).toEqual({
      lcspr: 'Required: is an LCSPR needed?',
    });
  });
});
