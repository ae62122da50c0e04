/**
 * The outcome of the review meeting: the chair's form to record the decision, and the card on which
 * each statutory partner's lead signs it off.
 */
import { lcsprAnswers, nationalImportanceAnswers, outcomeAnswers, type Review } from '../review/model';
import type { PartnershipProfile } from '../review/profile';
import { bindTemplate, executeAction, type AdaptiveCard } from './cardTemplate';
import { lcsprLabels, nationalImportanceLabels } from '../review/reportRules';
import { formatDate, formatInstant } from './cardText';
import { longTextMaxLength } from './formFields';
import { outcomeFields, type OutcomeField } from './outcomeSubmission';
import outcomeTemplate from './templates/outcome-form.json';
import signOffTemplate from './templates/sign-off.json';
import { cardVerbs } from './verbs';

export const outcomeFieldLabels: Record<OutcomeField, string> = {
  lcspr: 'Is a Local Child Safeguarding Practice Review (LCSPR) needed?',
  nationalImportance: 'May the case raise issues of national importance?',
  rationale: 'Rationale for the decision',
  immediateActions: 'Immediate safeguarding actions agreed',
  learning: 'Learning identified',
};

export interface OutcomeFormOptions {
  /** What was submitted (flat Input values), when the form is shown again after a refusal. */
  values?: Record<string, string>;
  /** Problems by Input id, from `fieldErrors`. */
  errors?: Record<string, string>;
}

export function outcomeForm(
  review: Review,
  profile: PartnershipProfile,
  options: OutcomeFormOptions = {},
): AdaptiveCard {
  const saved = review.outcome;
  const values: Record<OutcomeField, string> = options.values
    ? {
        lcspr: options.values.lcspr ?? '',
        nationalImportance: options.values.nationalImportance ?? '',
        rationale: options.values.rationale ?? '',
        immediateActions: options.values.immediateActions ?? '',
        learning: options.values.learning ?? '',
      }
    : {
        lcspr: saved ? outcomeAnswers(saved).lcspr : '',
        nationalImportance: saved ? outcomeAnswers(saved).nationalImportance : '',
        rationale: saved?.rationale ?? '',
        immediateActions: saved?.immediateActions ?? '',
        learning: saved?.learning ?? '',
      };
  const errors = options.errors ?? {};
  const errorSummary = Object.entries(errors).map(
    ([field, message]) => `${outcomeFieldLabels[field as OutcomeField] ?? 'This form'}: ${message}`,
  );
  const quorum = review.quorumDecision;
  return bindTemplate(outcomeTemplate, {
    reference: review.reference,
    pseudonym: review.pseudonym,
    quorumText: quorum
      ? `${quorum.quorate ? 'Quorate' : 'Not quorate'}, confirmed by ${quorum.decidedBy.name} at ${formatInstant(
          quorum.decidedAt,
        )}.`
      : 'Quorum has not been confirmed yet: the chair confirms it before the outcome can be recorded.',
    labels: outcomeFieldLabels,
    values,
    errors: Object.fromEntries(outcomeFields.map((f) => [f, errors[f] ?? ''])),
    errorHeading: `The outcome was not recorded. Please correct ${
      errorSummary.length === 1 ? 'this answer' : `these ${errorSummary.length} answers`
    }:`,
    errorSummary,
    lcsprChoices: lcsprAnswers.map((d) => ({ title: lcsprLabels[d], value: d })),
    nationalChoices: nationalImportanceAnswers.map((d) => ({ title: nationalImportanceLabels[d], value: d })),
    maxLength: { long: longTextMaxLength },
    reportDays: profile.panel.reportDays,
    action: executeAction(cardVerbs.outcomeRecord, { reviewId: review.id }),
  });
}

/** Each statutory partner's sign-off, with a button for those still to sign. */
export function signOffCard(review: Review, profile: PartnershipProfile): AdaptiveCard {
  const outcome = review.outcome;
  if (!outcome) throw new Error(`${review.reference} has no recorded outcome to sign off`);
  const partners = profile.statutoryPartners.map((partner) => {
    const signed = review.signOffs.find((s) => s.agencyKind === partner.kind);
    return {
      label: partner.label,
      statusText: signed
        ? `Signed off by ${signed.by.name}, ${formatInstant(signed.at)}`
        : 'Awaiting sign-off',
      color: signed ? 'Good' : 'Warning',
      canSign: !signed,
      action: executeAction(cardVerbs.outcomeSignOff, { reviewId: review.id, agencyKind: partner.kind }),
    };
  });
  const signedCount = partners.filter((p) => !p.canSign).length;
  return bindTemplate(signOffTemplate, {
    reference: review.reference,
    pseudonym: review.pseudonym,
    lcsprLabel: lcsprLabels[outcomeAnswers(outcome).lcspr],
    nationalLabel: nationalImportanceLabels[outcomeAnswers(outcome).nationalImportance],
    recordedText: `${outcome.recordedBy.name}, ${formatInstant(outcome.recordedAt)}`,
    endorsedText: review.endorsedOn
      ? `${profile.endorsement.by}, ${formatDate(review.endorsedOn)}`
      : `Not yet (${profile.endorsement.by})`,
    rationale: outcome.rationale,
    progressText: `Signed off by ${signedCount} of ${partners.length} statutory partners`,
    partners,
  });
}
