/**
 * Opening a review: the business unit's form, validated on the server, saved in one transaction with
 * its audit line, then set up in Teams in the background (the card action must be answered within
 * five seconds; provisioning is resumable, so a failure there is finished on the next start).
 */
import { randomUUID } from 'node:crypto';
import { openReview, recordTeamspace, type Actor } from '../../review/lifecycle';
import type { Person, Review } from '../../review/model';
import type { DirectoryPerson } from '../../review/ports';
import { emailsToResolve, notInDirectoryAdvice, withObjectIds } from '../../review/reviewPeople';
import { directoryFormFields, withDirectoryChoices } from '../../review/directory';
import { DuplicateReferenceError } from '../../review/store';
import { civilDateInLondon } from '../../scheduler/civilDate';
import { refusedAttemptAudit } from '../../review/refusals';
import type { CardReply, Place } from './replies';
import { refuseAttempt, valuesNotText } from './refusals';
import type { FlowDeps } from './deps';
import { openReviewFormCard, openReviewSubmittedReply, parseOpenReview, refusalReply } from './presenters';
import { setUpReview } from './provisionReview';
import { isOpenReviewField } from '../../cards/openReviewSubmission';

export async function suggestedReference(deps: FlowDeps): Promise<string> {
  const year = deps.clock.now().getUTCFullYear();
  const used = (await deps.store.listReviews())
    .map((r) => /^RR-(\d{4})-(\d+)$/.exec(r.reference))
    .filter((m): m is RegExpExecArray => m !== null && Number(m[1]) === year)
    .map((m) => Number(m[2]));
  const next = used.length === 0 ? 1 : Math.max(...used) + 1;
  return `RR-${year}-${String(next).padStart(3, '0')}`;
}

const businessUnitOnly = 'Only the safeguarding partnership’s business unit can open a review.';

export async function openReviewFormReply(deps: FlowDeps, actor: Actor, place: Place): Promise<CardReply> {
  if (!actor.businessUnit) {
    return refuseAttempt(
      deps,
      { actor, action: 'review.open', code: 'not-business-unit', place: place.kind },
      businessUnitOnly,
    );
  }
  return {
    card: openReviewFormCard(deps, {
      reference: await suggestedReference(deps),
      today: civilDateInLondon(deps.clock.now()),
      directory: await deps.store.getDirectory(),
    }),
  };
}

/** Longest the form waits for the directory; set-up looks again later if it does not answer in time. */
const directoryWaitMs = 2500;

/**
 * A directory look-up made while the officer waits: its answer, or `undefined` when it failed or did
 * not answer within `directoryWaitMs` (the failure is logged, never shown).
 */
async function whileTheOfficerWaits<T>(
  deps: FlowDeps,
  lookUp: () => Promise<T>,
  failure: string,
): Promise<{ answer: T } | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), directoryWaitMs);
  });
  try {
    return await Promise.race([lookUp().then((answer) => ({ answer })), timeout]);
  } catch (error) {
    deps.log.warn({ err: { message: (error as Error).message } }, failure);
    return undefined;
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Everyone the form names, looked up in the directory while the officer waits, so someone who cannot
 * be found is pointed out on the form itself. Undefined when the directory did not answer in time:
 * the review is then saved and set-up looks the people up (and says who is missing) itself.
 */
async function findPeople(deps: FlowDeps, review: Review): Promise<Map<string, DirectoryPerson> | undefined> {
  const emails = emailsToResolve(review);
  if (emails.length === 0) return new Map();
  const found = await whileTheOfficerWaits(
    deps,
    () => deps.teamspace.resolvePeople(emails),
    'directory look-up failed at opening',
  );
  return found?.answer;
}

/**
 * A chair picked with Teams' people picker who is not in the partnership directory: looked up in the
 * tenant's directory by object id while the officer waits; never guessed.
 */
async function chairOutsideDirectory(
  deps: FlowDeps,
  aadObjectId: string,
): Promise<{ chair: Person; error?: never } | { chair?: never; error: string }> {
  const lookUp = deps.teamspace.findPersonById;
  const noAnswer = {
    error:
      'Not in the partnership directory and the directory did not answer: pick them again, or type their e-mail below',
  };
  if (!lookUp) return noAnswer;
  const found = await whileTheOfficerWaits(
    deps,
    () => lookUp.call(deps.teamspace, aadObjectId),
    'chair look-up failed at opening',
  );
  if (!found) return noAnswer;
  const person = found.answer;
  if (!person) return { error: 'No one with this id is in the organisation’s directory' };
  if (!person.email)
    return { error: 'Has no e-mail address in the directory, so cannot be invited: type their e-mail below' };
  return { chair: { name: person.name, email: person.email, aadObjectId: person.aadObjectId } };
}

/** Field errors on each e-mail input that names someone the directory does not know. */
function notFoundErrors(values: Record<string, unknown>, missing: readonly Person[]): Record<string, string> {
  const errors: Record<string, string> = {};
  const missingEmails = new Set(missing.map((person) => person.email?.toLowerCase()));
  for (const [field, value] of Object.entries(values)) {
    if (!/Email$/.test(field) || typeof value !== 'string') continue;
    if (!missingEmails.has(value.trim().toLowerCase())) continue;
    errors[field] =
      'No one with this e-mail is in the partnership’s directory: invite them as a guest (Entra B2B) ' +
      'with this e-mail, or correct it. Someone who must stay in their own organisation’s tenant needs ' +
      'a shared review channel.';
  }
  if (Object.keys(errors).length === 0) errors.form = missing.map(notInDirectoryAdvice).join(' ');
  return errors;
}

/**
 * The submitted values of the form's own fields. A key the form does not have (a crafted or
 * out-of-date card) is no answer of the officer's: left out, rather than refused at a field nobody sees.
 */
function formFieldsOnly(submitted: Record<string, unknown>): Record<string, unknown> {
  const directoryFields: readonly string[] = Object.values(directoryFormFields);
  const values = Object.create(null) as Record<string, unknown>;
  for (const [key, value] of Object.entries(submitted)) {
    if (isOpenReviewField(key) || directoryFields.includes(key)) values[key] = value;
  }
  return values;
}

export async function submitOpenReview(
  deps: FlowDeps,
  submitted: Record<string, unknown>,
  actor: Actor,
  origin: unknown,
  place: Place,
): Promise<CardReply> {
  if (!actor.businessUnit) {
    return refuseAttempt(
      deps,
      { actor, action: 'review.open', code: 'not-business-unit', place: place.kind },
      businessUnitOnly,
    );
  }
  const values = formFieldsOnly(submitted);
  // Teams sends every input as text: anything else was made by hand, and is refused and audited.
  const notText = valuesNotText(values);
  if (notText > 0) {
    await deps.store.appendAudit([
      refusedAttemptAudit({
        actor,
        at: deps.clock.now().toISOString(),
        action: 'review.open',
        code: 'not-text',
        place: place.kind,
        refusedValues: notText,
      }),
    ]);
  }
  const now = deps.clock.now();
  const today = civilDateInLondon(now);
  const directory = await deps.store.getDirectory();
  // The directory's ticked agencies become agency rows; the chair is picked or typed.
  const chosen = withDirectoryChoices(values, directory);
  if (chosen.chairToLookUp) {
    const found = await chairOutsideDirectory(deps, chosen.chairToLookUp);
    if (found.chair) chosen.chair = found.chair;
    else chosen.errors[directoryFormFields.chair] = found.error;
  }
  const parsed = parseOpenReview(chosen.values, today, deps);
  const choiceErrors = Object.keys(chosen.errors).length > 0;
  if (!parsed.ok || choiceErrors) {
    const errors = { ...(parsed.ok ? {} : parsed.errors), ...chosen.errors };
    return { card: openReviewFormCard(deps, { values, errors, today, directory }) };
  }

  const input = { ...parsed.value, id: randomUUID(), ...(chosen.chair ? { chair: chosen.chair } : {}) };
  const opened = openReview(input, actor, now.toISOString());
  if (!opened.ok)
    return { card: openReviewFormCard(deps, { values, errors: { form: opened.reason }, today, directory }) };
  const found = await findPeople(deps, opened.review);
  if (found) {
    const filled = withObjectIds(opened.review, found, now.toISOString());
    if (filled.missing.length > 0) {
      const errors = notFoundErrors(chosen.values, filled.missing);
      return { card: openReviewFormCard(deps, { values, errors, today, directory }) };
    }
    opened.review = { ...filled.review, teamspace: { ...filled.review.teamspace, peopleResolved: true } };
    opened.audit.push(...filled.audit);
  }
  const withOrigin = recordTeamspace(
    opened.review,
    { originReference: origin },
    now.toISOString(),
    'origin.recorded',
  );
  if (!withOrigin.ok) return refusalReply(withOrigin.reason);
  try {
    await deps.store.createReview(withOrigin.review, opened.audit);
  } catch (error) {
    if (error instanceof DuplicateReferenceError) {
      return {
        card: openReviewFormCard(deps, { values, errors: { reference: error.message }, today, directory }),
      };
    }
    throw error;
  }
  const review = withOrigin.review;
  deps.log.info({ review: review.reference, agencies: review.agencies.length }, 'review opened');

  deps.background.afterReply(() => setUpReview(deps, review.id));
  return openReviewSubmittedReply(review);
}
