/**
 * The outcome form's submission, checked on the server (the form itself: outcomeCards.ts): the two
 * questions answered apart, and the written parts the Panel reads.
 */
import { z } from 'zod';
import {
  lcsprAnswers,
  nationalImportanceAnswers,
  type LcsprAnswer,
  type NationalImportanceAnswer,
  type Outcome,
} from '../review/model';
import { collector, longTextMaxLength, submittedValue, text } from './formFields';

export const outcomeFields = [
  'lcspr',
  'nationalImportance',
  'rationale',
  'immediateActions',
  'learning',
] as const;
export type OutcomeField = (typeof outcomeFields)[number];

export interface OutcomeSubmission {
  reviewId: string;
  outcome: Omit<Outcome, 'recordedBy' | 'recordedAt'>;
}

export function outcomeSubmission(): z.ZodType<OutcomeSubmission> {
  return z
    .object({
      reviewId: submittedValue.optional(),
      lcspr: submittedValue.optional(),
      nationalImportance: submittedValue.optional(),
      rationale: submittedValue.optional(),
      immediateActions: submittedValue.optional(),
      learning: submittedValue.optional(),
    })
    .transform((raw, ctx): OutcomeSubmission => {
      const { issue, failed } = collector(ctx);
      const reviewId = raw.reviewId ?? '';
      if (reviewId === '') issue('reviewId', 'Missing: the card did not say which review this is');
      // Two questions, answered separately: an LCSPR and national importance are not one choice.
      const lcspr = raw.lcspr ?? '';
      if (lcspr === '') issue('lcspr', 'Required: is an LCSPR needed?');
      else if (!(lcsprAnswers as readonly string[]).includes(lcspr)) {
        issue('lcspr', `Must be one of: ${lcsprAnswers.join(', ')}`);
      }
      const national = raw.nationalImportance ?? '';
      if (national === '')
        issue('nationalImportance', 'Required: may the case raise issues of national importance?');
      else if (!(nationalImportanceAnswers as readonly string[]).includes(national)) {
        issue('nationalImportance', `Must be one of: ${nationalImportanceAnswers.join(', ')}`);
      }
      const long = (required: string) => ({ required, max: longTextMaxLength });
      const rationale = text(
        raw.rationale ?? '',
        'rationale',
        issue,
        long('Required: the Panel reads the rationale'),
      );
      const immediateActions = text(
        raw.immediateActions ?? '',
        'immediateActions',
        issue,
        long('Required: write "None" if no immediate safeguarding action is needed'),
      );
      const learning = text(
        raw.learning ?? '',
        'learning',
        issue,
        long('Required: write "None identified yet" if so'),
      );
      if (failed() || !rationale || !immediateActions || !learning) return z.NEVER;
      return {
        reviewId,
        outcome: {
          lcspr: lcspr as LcsprAnswer,
          nationalImportance: national as NationalImportanceAnswer,
          rationale,
          immediateActions,
          learning,
        },
      };
    });
}
