/**
 * A scoping return's submission, checked on the server (the form itself: scopingCards.ts). It names
 * the revision it was made from, so a form made from an older revision is refused, not saved over.
 */
import { z } from 'zod';
import { involvementValues, type CivilDate, type ScopingReturnAnswers } from '../review/model';
import {
  collector,
  date,
  longTextMaxLength,
  submittedValue,
  text,
  toggle,
  writtenAnswersMaxLength,
} from './formFields';

/** Input ids of the scoping form: exactly the answer names, so errors and values line up. */
export const scopingReturnFields = [
  'involvement',
  'involvementWith',
  'periodFrom',
  'periodTo',
  'natureOfInvolvement',
  'keyContacts',
  'recordsSecured',
  'recordsSecuredOn',
  'recordsSecuredBy',
  'alertAdded',
  'staffInformed',
  'immediateActions',
  'immediateLearning',
  'keyInformation',
  'seniorLeadersSighted',
] as const satisfies readonly (keyof ScopingReturnAnswers)[];
export type ScopingReturnField = (typeof scopingReturnFields)[number];

export interface ScopingReturnSubmission {
  reviewId: string;
  agencyId: string;
  /** The revision of the saved return the form was made from (0 before any): a stale one is refused. */
  madeFromRevision: number;
  answers: ScopingReturnAnswers;
}

/** The most revisions a return can have: far more than any review makes, well inside a safe integer. */
const revisionMax = 1_000_000;

const scopingShape = Object.fromEntries(
  ['reviewId', 'agencyId', 'revision', ...scopingReturnFields].map((field) => [
    field,
    submittedValue.optional(),
  ]),
) as Record<'reviewId' | 'agencyId' | 'revision' | ScopingReturnField, z.ZodOptional<typeof submittedValue>>;

export function scopingReturnSubmission(context: { today: CivilDate }): z.ZodType<ScopingReturnSubmission> {
  return z.object(scopingShape).transform((raw, ctx): ScopingReturnSubmission => {
    const { issue, failed } = collector(ctx);
    const { today } = context;
    const value = (field: keyof typeof raw) => raw[field] ?? '';
    const reviewId = value('reviewId');
    const agencyId = value('agencyId');
    if (reviewId === '') issue('reviewId', 'Missing: the card did not say which review this is');
    if (agencyId === '') issue('agencyId', 'Missing: the card did not say which agency this is');
    const revisionText = value('revision');
    const madeFromRevision = /^\d{1,7}$/.test(revisionText) ? Number(revisionText) : -1;
    if (revisionText === '') {
      issue('revision', 'Missing: the card did not say which version of the return it was made from');
    } else if (madeFromRevision < 0 || madeFromRevision > revisionMax) {
      issue('revision', `Must be a whole number from 0 to ${revisionMax.toLocaleString('en-GB')}`);
    }

    const involvementText = value('involvement');
    const involved = involvementText === 'yes';
    if (involvementText === '') issue('involvement', 'Required: choose yes or no');
    else if (!(involvementValues as readonly string[]).includes(involvementText)) {
      issue('involvement', 'Must be yes or no');
    }
    const whenInvolved = involved ? 'Required when the agency was involved' : false;
    const involvementWith = text(value('involvementWith'), 'involvementWith', issue, {
      required: whenInvolved,
      max: 500,
    });
    const periodFrom = date(value('periodFrom'), 'periodFrom', issue, today, whenInvolved);
    const periodTo = date(value('periodTo'), 'periodTo', issue, today, whenInvolved);
    if (periodFrom && periodTo && periodFrom > periodTo) {
      issue('periodTo', 'Must not be before the start of the period');
    }
    const natureOfInvolvement = text(value('natureOfInvolvement'), 'natureOfInvolvement', issue, {
      required: whenInvolved,
      max: longTextMaxLength,
    });
    const keyContacts = text(value('keyContacts'), 'keyContacts', issue, { max: longTextMaxLength });
    if (involvementText === 'no') {
      // An answer of 'no' with details beside it is contradictory: ask rather than drop what was typed.
      for (const field of [
        'involvementWith',
        'periodFrom',
        'periodTo',
        'natureOfInvolvement',
        'keyContacts',
      ] as const) {
        if (value(field) !== '') issue(field, 'Leave blank when there was no involvement, or answer yes');
      }
    }

    const recordsSecured = toggle(value('recordsSecured'), 'recordsSecured', issue);
    const recordsSecuredOn = date(
      value('recordsSecuredOn'),
      'recordsSecuredOn',
      issue,
      today,
      recordsSecured ? 'Required when records are secured' : false,
    );
    const recordsSecuredBy = text(value('recordsSecuredBy'), 'recordsSecuredBy', issue, {
      required: recordsSecured ? 'Required when records are secured' : false,
    });
    if (!recordsSecured) {
      for (const field of ['recordsSecuredOn', 'recordsSecuredBy'] as const) {
        if (value(field) !== '') issue(field, 'Leave blank unless records are secured');
      }
    }
    const alertAdded = toggle(value('alertAdded'), 'alertAdded', issue);
    const staffInformed = toggle(value('staffInformed'), 'staffInformed', issue);
    const seniorLeadersSighted = toggle(value('seniorLeadersSighted'), 'seniorLeadersSighted', issue);
    const long = { max: longTextMaxLength };
    const immediateActions = text(value('immediateActions'), 'immediateActions', issue, long);
    const immediateLearning = text(value('immediateLearning'), 'immediateLearning', issue, long);
    const keyInformation = text(value('keyInformation'), 'keyInformation', issue, long);

    const written = (
      [
        'involvementWith',
        'natureOfInvolvement',
        'keyContacts',
        'recordsSecuredBy',
        'immediateActions',
        'immediateLearning',
        'keyInformation',
      ] as const
    ).map((field) => ({ field, length: value(field).length }));
    const total = written.reduce((sum, w) => sum + w.length, 0);
    if (total > writtenAnswersMaxLength) {
      const longest = written.reduce((a, b) => (b.length > a.length ? b : a));
      issue(
        longest.field,
        `Together the written answers are ${total.toLocaleString('en-GB')} characters; at most ` +
          `${writtenAnswersMaxLength.toLocaleString('en-GB')} fit in a Teams card. Shorten this answer or another`,
      );
    }

    if (failed()) return z.NEVER;
    const optional = {
      involvementWith,
      periodFrom,
      periodTo,
      natureOfInvolvement,
      keyContacts,
      recordsSecuredOn,
      recordsSecuredBy,
      immediateActions,
      immediateLearning,
      keyInformation,
    };
    return {
      reviewId,
      agencyId,
      madeFromRevision,
      answers: {
        involvement: involved ? 'yes' : 'no',
        recordsSecured,
        alertAdded,
        staffInformed,
        seniorLeadersSighted,
        ...(Object.fromEntries(
          Object.entries(optional).filter(([, v]) => v !== undefined),
        ) as Partial<ScopingReturnAnswers>),
      },
    };
  });
}
