import { z } from 'zod';
import { fieldErrors } from './formFields';
import { outcomeSubmission } from './outcomeSubmission';

describe('fieldErrors', () => {
  it('is empty for a success and names a value that is not text at all', () => {
    expect(
      fieldErrors(
        outcomeSubmission().safeParse({
          ...{ reviewId: 'r' },
          lcspr: 'yes',
          nationalImportance: 'yes',
          rationale: 'a',
          immediateActions: 'b',
          learning: 'c',
        }),
      ),
    ).toEqual({});
    expect(
      fieldErrors(outcomeSubmission().safeParse({ reviewId: 'r', lcspr: { pick: 'yes' } })),
    ).toMatchObject({
      lcspr: 'Must be text',
    });
    expect(fieldErrors(outcomeSubmission().safeParse('lcspr'))).toEqual({
      _form: 'The card sent no form values',
    });
  });
});

describe('fieldErrors, for fields named like what every object inherits', () => {
  it('names a field called constructor or toString like any other field', () => {
    const values = z.record(z.string(), z.string());
    expect(fieldErrors(values.safeParse({ constructor: 1, toString: {}, name: 'x' }))).toEqual({
      constructor: 'Must be text',
      toString: 'Must be text',
    });
    expect(Object.getPrototypeOf(fieldErrors(values.safeParse({ ['__proto__']: 1 })))).toBeNull();
  });
});
