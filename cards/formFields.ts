/**
 * What the cards submit, checked on the server: the rules every form shares (each form's own schema
 * is next to its card: openReviewForm.ts, scopingCards.ts, outcomeCards.ts). Teams sends every
 * Input.* value flat and as text: toggles as 'true'/'false', blanks as '', dates as 'YYYY-MM-DD'.
 * The client-side checks on the cards (isRequired, regex) are only a convenience and never trusted.
 *
 * Each schema turns the flat values into domain values, or fails with one issue per field whose
 * path is the Input id, so `fieldErrors` can put each message next to its field when the form is
 * shown again. Rules that depend on the date (nothing in the future) take `today` as a parameter:
 * time is injected, never read here.
 */
import { z } from 'zod';
import { futureDateIssue } from '../review/anchorDates';
import type { CivilDate } from '../review/model';
import { isStorableText, unstorableCharacterMessage } from '../review/storableText';
import { isCivilDate } from '../scheduler/civilDate';

/**
 * Written answers are capped so that a form shown again with them, or the card summarising them,
 * still fits Teams' 40 KB message limit even when every character takes three bytes: one answer may
 * be long, but all of them together stay within `writtenAnswersMaxLength`.
 */
export const longTextMaxLength = 2500;
export const shortTextMaxLength = 200;
export const writtenAnswersMaxLength = 8000;

/**
 * One submitted value as Teams sends it, normalised to trimmed text ('' for a blank). Its type is
 * checked before anything is turned into text: an object or an array is refused ('Must be text'),
 * never stringified.
 */
export const submittedValue = z
  .union([z.string(), z.number().finite(), z.boolean(), z.null(), z.undefined()])
  .transform((value) => (value === null || value === undefined ? '' : String(value).trim()));

/** Whether a submitted value is one `submittedValue` accepts (text, a number, a toggle or a blank). */
export function isSubmittedValue(value: unknown): value is string | number | boolean | null | undefined {
  return (
    value === null ||
    value === undefined ||
    typeof value === 'string' ||
    typeof value === 'boolean' ||
    (typeof value === 'number' && Number.isFinite(value))
  );
}

export type Issue = (field: string, message: string) => void;

export function collector(ctx: z.RefinementCtx): { issue: Issue; failed: () => boolean } {
  let count = 0;
  return {
    issue: (field, message) => {
      count += 1;
      ctx.addIssue({ code: 'custom', message, path: [field] });
    },
    failed: () => count > 0,
  };
}

const emailSchema = z.email();

export interface TextRule {
  required?: string | false;
  max?: number;
}

export function text(value: string, field: string, issue: Issue, rule: TextRule = {}): string | undefined {
  if (value === '') {
    if (rule.required) issue(field, rule.required);
    return undefined;
  }
  if (!isStorableText(value)) {
    issue(field, unstorableCharacterMessage);
    return undefined;
  }
  const max = rule.max ?? shortTextMaxLength;
  if (value.length > max) {
    issue(
      field,
      `At most ${max.toLocaleString('en-GB')} characters (this has ${value.length.toLocaleString('en-GB')})`,
    );
  }
  return value;
}

export function date(
  value: string,
  field: string,
  issue: Issue,
  today: CivilDate,
  required: string | false = false,
): CivilDate | undefined {
  if (value === '') {
    if (required) issue(field, required);
    return undefined;
  }
  if (!isCivilDate(value)) {
    issue(field, 'Must be a date as YYYY-MM-DD');
    return undefined;
  }
  const future = futureDateIssue(value, today);
  if (future) {
    issue(field, future);
    return undefined;
  }
  return value;
}

export function toggle(value: string, field: string, issue: Issue): boolean {
  if (value === 'true') return true;
  if (value === 'false' || value === '') return false;
  issue(field, 'Must be true or false');
  return false;
}

export function email(value: string, field: string, issue: Issue): string | undefined {
  if (value === '') return undefined;
  if (!emailSchema.safeParse(value).success) {
    issue(field, 'Must be an email address, e.g. name@agency.gov.uk');
    return undefined;
  }
  return value.toLowerCase();
}

/** One message per field (the first rule it broke), keyed by Input id; '_form' for the whole form. */
export function fieldErrors(result: { success: boolean; error?: z.ZodError }): Record<string, string> {
  // Keyed by field names the card sent: no prototype, so 'constructor' is a field like any other.
  const errors = Object.create(null) as Record<string, string>;
  if (result.success || !result.error) return errors;
  for (const issue of result.error.issues) {
    const field = issue.path.length > 0 ? issue.path.map(String).join('.') : '_form';
    // The lenient input schemas only fail on a value that is not text at all.
    const message =
      issue.code === 'custom'
        ? issue.message
        : field === '_form'
          ? 'The card sent no form values'
          : 'Must be text';
    if (!Object.hasOwn(errors, field)) errors[field] = message;
  }
  return errors;
}
