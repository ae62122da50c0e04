/**
 * After the meeting: the outcome (chair or business unit), each statutory partner lead's sign-off,
 * the chair's endorsement date, the Rapid Review report for the National Panel and the Panel's
 * response. Each is one recorded step; the report is written the moment the last partner signs off,
 * and its sending starts the Panel-response clock (the timeline counts from the recorded anchor).
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { outcomeForm, signOffCard } from '../../cards/outcomeCards';
import { fieldErrors, outcomeSubmission } from '../../cards/submissions';
import {
  recordEndorsement,
  recordOutcome,
  recordPanelResponse,
  recordPanelSubmission,
  samePerson,
  signOff,
  type Actor,
} from '../../review/lifecycle';
import { agencyKinds, type AgencyKind, type CivilDate, type Person, type Review } from '../../review/model';
import type { PartnershipProfile } from '../../review/profile';
import { buildRapidReviewReport } from '../../review/report';
import { civilDateInLondon, formatLongDate, isCivilDate } from '../../scheduler/civilDate';
import { computeTimeline, milestone } from '../../scheduler/timeline';
import { afterReply } from './background';
import type { CardReply } from './commands';
import type { FlowDeps } from './deps';
import { noticeMessage, noticeReply, postInReviewChannel } from './meetingChannel';
import { flat, refusalReply } from './presenters';

type Card = Record<string, unknown>;

export const defaultReportsDir = './data/reports';

/** The bot acting for the business unit on steps that follow from others' (the report after sign-off). */
const botForBusinessUnit: Actor = { person: { name: 'Rapid Review Bot' }, businessUnit: true };

function profileOf(deps: FlowDeps, review: Review): PartnershipProfile {
  return deps.profiles.get(review.profileId);
}

function isChair(review: Review, person: Person): boolean {
  return Boolean(review.meeting?.chair && samePerson(review.meeting.chair, person));
}

/** "outcome": the form, for the chair or the business unit, once the chair has confirmed quorum. */
export async function outcomeFormReply(deps: FlowDeps, reviewId: string, actor: Actor): Promise<CardReply> {
  const review = await deps.store.getReview(reviewId);
  if (!review) return refusalReply('This review no longer exists.');
  if (!actor.businessUnit && !isChair(review, actor.person)) {
    return refusalReply('Only the chair or the business unit records the outcome.');
  }
  if (!review.quorumDecision?.quorate) {
    return refusalReply(
      'The outcome needs a quorate meeting: the chair confirms quorum in the meeting chat first.',
    );
  }
  if (review.signOffs.length > 0) {
    return refusalReply(
      'The outcome has been signed off by a statutory partner and can no longer be changed.',
    );
  }
  return { card: outcomeForm(review, profileOf(deps, review)) as Card };
}

/** outcome.record: validated on the server, authorised before validation, saved with its audit. */
export async function submitOutcomeFlow(
  deps: FlowDeps,
  data: Record<string, unknown>,
  actor: Actor,
): Promise<CardReply> {
  const values = flat(data);
  const review = await deps.store.getReview(values.reviewId ?? '');
  if (!review) return refusalReply('This review no longer exists.');
  const profile = profileOf(deps, review);
  const at = deps.clock.now().toISOString();
  // Who may record it and whether the review is ready are checked before the form, so an outsider
  // learns nothing from field messages; the refusal is audited.
  const check = recordOutcome(
    review,
    { decision: 'no-further-review', rationale: '-', immediateActions: '-', learning: '-' },
    actor,
    at,
  );
  if (!check.ok) {
    await deps.store.appendAudit(check.audit ?? []);
    return refusalReply(check.reason);
  }
  if (review.signOffs.length > 0) {
    return refusalReply(
      'The outcome has been signed off by a statutory partner and can no longer be changed.',
    );
  }
  const parsed = outcomeSubmission().safeParse(values);
  if (!parsed.success) {
    return { card: outcomeForm(review, profile, { values, errors: fieldErrors(parsed) }) as Card };
  }
  const result = await deps.store.updateReview(review.id, (current) =>
    current.signOffs.length > 0
      ? { ok: false, reason: 'the outcome has already been signed off' }
      : recordOutcome(current, parsed.data.outcome, actor, at),
  );
  if (!result.ok) return refusalReply(result.reason);
  const saved = result.review;
  deps.log.info({ review: saved.reference, decision: parsed.data.outcome.decision }, 'outcome recorded');
  const leads = leadsToSignOff(saved, profile);
  await postInReviewChannel(deps, saved, {
    text: `The outcome is recorded. Statutory partner leads, please sign it off: ${leads
      .map((l) => `${l.person.name} (${l.label})`)
      .join(', ')}.`,
    card: signOffCard(saved, profile) as Card,
  });
  return noticeReply(
    saved,
    'The outcome is recorded. I have asked each statutory partner’s lead to sign it off in this channel.',
  );
}

function leadsToSignOff(review: Review, profile: PartnershipProfile): { person: Person; label: string }[] {
  return profile.statutoryPartners.flatMap((partner) =>
    review.agencies
      .filter((a) => a.kind === partner.kind && a.lead)
      .map((a) => ({ person: a.lead as Person, label: partner.label })),
  );
}

/** "sign-off": the sign-off card as it stands. */
export async function signOffCardReply(deps: FlowDeps, reviewId: string): Promise<CardReply> {
  const review = await deps.store.getReview(reviewId);
  if (!review) return refusalReply('This review no longer exists.');
  if (!review.outcome) return refusalReply('There is no recorded outcome to sign off yet.');
  return { card: signOffCard(review, profileOf(deps, review)) as Card };
}

/** outcome.signOff: only that partner's lead; the last sign-off sends the report. */
export async function signOffFlow(
  deps: FlowDeps,
  data: Record<string, unknown>,
  actor: Actor,
): Promise<CardReply> {
  const reviewId = typeof data.reviewId === 'string' ? data.reviewId : '';
  const kind = typeof data.agencyKind === 'string' ? data.agencyKind : '';
  if (!(agencyKinds as readonly string[]).includes(kind))
    return refusalReply('This sign-off card is not valid.');
  const review = await deps.store.getReview(reviewId);
  if (!review) return refusalReply('This review no longer exists.');
  const profile = profileOf(deps, review);
  const partnerKinds = profile.statutoryPartners.map((p) => p.kind);
  const at = deps.clock.now().toISOString();
  const result = await deps.store.updateReview(reviewId, (current) =>
    signOff(current, kind as AgencyKind, actor, at, partnerKinds),
  );
  if (!result.ok) return refusalReply(result.reason);
  const saved = result.review;
  const label = profile.statutoryPartners.find((p) => p.kind === kind)?.label ?? kind;
  const signed = saved.signOffs.filter((s) => partnerKinds.includes(s.agencyKind)).length;
  await postInReviewChannel(
    deps,
    saved,
    noticeMessage(
      saved,
      `${actor.person.name} signed off the outcome for ${label} (${signed} of ${partnerKinds.length} statutory partners).`,
    ),
  );
  if (saved.state === 'signed-off') {
    afterReply(() => sendReportToPanel(deps, reviewId, botForBusinessUnit));
  }
  return { card: signOffCard(saved, profile) as Card };
}

export function parseDateArgument(
  text: string,
  today: CivilDate,
): { ok: true; date: CivilDate } | { ok: false } {
  const value = text.trim().toLowerCase();
  const date = value === 'today' || value === '' ? today : value;
  if (!isCivilDate(date) || date > today) return { ok: false };
  return { ok: true, date };
}

/** "endorsed YYYY-MM-DD": the date the chair endorsed the outcome (business unit). */
export async function recordEndorsementReply(
  deps: FlowDeps,
  reviewId: string,
  dateText: string,
  actor: Actor,
): Promise<CardReply> {
  const today = civilDateInLondon(deps.clock.now());
  const parsed = parseDateArgument(dateText, today);
  if (!parsed.ok) return refusalReply('Give the endorsement date as YYYY-MM-DD (today or earlier).');
  const at = deps.clock.now().toISOString();
  const result = await deps.store.updateReview(reviewId, (current) =>
    recordEndorsement(current, parsed.date, actor, at),
  );
  if (!result.ok) return refusalReply(result.reason);
  const profile = profileOf(deps, result.review);
  return noticeReply(
    result.review,
    `Endorsement recorded: ${profile.endorsement.by}, ${formatLongDate(parsed.date)}.`,
  );
}

/**
 * Writes the report and, for a review that has just been signed off, records it as sent to the
 * National Panel today. The file is named by the reference only; the message that carries it names
 * the file and nothing about the child.
 */
export async function sendReportToPanel(
  deps: FlowDeps,
  reviewId: string,
  actor: Actor,
): Promise<{ reportPath: string } | undefined> {
  const review = await deps.store.getReview(reviewId);
  if (!review) return undefined;
  const log = deps.log.child({ review: review.reference });
  const profile = profileOf(deps, review);
  const now = deps.clock.now();
  const today = civilDateInLondon(now);
  try {
    const report = await buildRapidReviewReport(review, profile, { generatedOn: today });
    const dir = deps.settings.reportsDir ?? defaultReportsDir;
    await fs.mkdir(dir, { recursive: true });
    const reportPath = path.join(dir, report.fileName);
    await fs.writeFile(reportPath, report.buffer);
    let saved = review;
    if (review.state === 'signed-off') {
      const result = await deps.store.updateReview(reviewId, (current) =>
        recordPanelSubmission(current, today, report.fileName, actor, now.toISOString()),
      );
      if (!result.ok) {
        log.warn({ reason: result.reason }, 'report written but not recorded as sent');
      } else {
        saved = result.review;
      }
    }
    log.info({ file: report.fileName }, 'rapid review report written');
    const due = milestone(computeTimeline(saved.anchors, profile), 'panel-response-expected')?.due;
    await postInReviewChannel(
      deps,
      saved,
      noticeMessage(
        saved,
        `The Rapid Review report is ready: ${report.fileName}. ` +
          (saved.anchors.panelSubmitted
            ? `It is recorded as sent to the National Panel on ${formatLongDate(saved.anchors.panelSubmitted)}` +
              (due ? `; the Panel’s response is expected by ${formatLongDate(due)}.` : '.')
            : 'It has not been recorded as sent to the Panel.'),
      ),
    );
    return { reportPath };
  } catch (error) {
    log.warn({ err: { name: (error as Error).name } }, 'writing the report failed');
    await postInReviewChannel(
      deps,
      review,
      noticeMessage(
        review,
        'Writing the Rapid Review report failed. Business unit: mention me with "report" to try again.',
        [],
        'warning',
      ),
    );
    return undefined;
  }
}

/** "report": writes the report again (e.g. after the endorsement date), or finishes a failed send. */
export async function reportReply(deps: FlowDeps, reviewId: string, actor: Actor): Promise<CardReply> {
  const review = await deps.store.getReview(reviewId);
  if (!review) return refusalReply('This review no longer exists.');
  if (!actor.businessUnit) return refusalReply('Only the business unit sends the report.');
  if (!['signed-off', 'submitted-to-panel', 'panel-responded'].includes(review.state)) {
    return refusalReply('The report is written once every statutory partner has signed off the outcome.');
  }
  afterReply(() => sendReportToPanel(deps, reviewId, actor));
  return noticeReply(review, 'Writing the Rapid Review report; I post it in this channel when it is ready.');
}

/** "panel response YYYY-MM-DD": the National Panel has answered (business unit). */
export async function recordPanelResponseReply(
  deps: FlowDeps,
  reviewId: string,
  dateText: string,
  actor: Actor,
): Promise<CardReply> {
  const today = civilDateInLondon(deps.clock.now());
  const parsed = parseDateArgument(dateText, today);
  if (!parsed.ok)
    return refusalReply('Give the date of the Panel’s response as YYYY-MM-DD (today or earlier).');
  const at = deps.clock.now().toISOString();
  const result = await deps.store.updateReview(reviewId, (current) =>
    recordPanelResponse(current, parsed.date, actor, at),
  );
  if (!result.ok) return refusalReply(result.reason);
  const saved = result.review;
  const profile = profileOf(deps, saved);
  const postMeeting = milestone(computeTimeline(saved.anchors, profile), 'post-review-meeting-due')?.due;
  return noticeReply(
    saved,
    `The National Panel’s response of ${formatLongDate(parsed.date)} is recorded.` +
      (postMeeting ? ` The post Rapid Review meeting is due by ${formatLongDate(postMeeting)}.` : ''),
  );
}
