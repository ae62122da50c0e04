/**
 * After the meeting: the outcome (chair or business unit), each statutory partner lead's sign-off,
 * the chair's endorsement date, the Rapid Review report for the National Panel and the Panel's
 * response. Each is one recorded step; the report is written (ready, not sent) the moment the last
 * partner signs off, and is recorded as sent only when the business unit says it went ("report sent"),
 * which starts the Panel-response clock. Nothing is recorded that did not happen.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { outcomeForm, signOffCard } from '../../cards/outcomeCards';
import { fieldErrors } from '../../cards/formFields';
import { outcomeSubmission } from '../../cards/outcomeSubmission';
import {
  recordEndorsement,
  recordOutcome,
  closeReview,
  reconveneMeeting,
  recordPanelResponse,
  recordPostReviewMeeting,
  recordReportParts,
  recordReportSent,
  recordReportWritten,
  samePerson,
  signOff,
  type Actor,
} from '../../review/lifecycle';
import {
  agencyKinds,
  type AgencyKind,
  type CivilDate,
  type PanelAnswer,
  type Person,
  type ReportPartKey,
  type Review,
} from '../../review/model';
import type { PartnershipProfile } from '../../review/profile';
import {
  missingReportParts,
  reportPartLabels,
  reportSendingRules,
  removedSummary,
} from '../../review/reportRules';
import { buildRapidReviewReport } from '../../report/rapidReviewReport';
import { panelAnswerLabels } from '../../cards/cardText';
import { calendarFor } from '../../scheduler/workingDayCalendar';
import { civilDateInLondon, formatLongDate, isCivilDate } from '../../scheduler/civilDate';
import { computeTimeline, milestone } from '../../scheduler/timeline';
import type { CardReply } from './replies';
import type { FlowDeps } from './deps';
import { noticeMessage, noticeReply, postInReviewChannel } from './meetingChannel';
import { sendNotices } from './notices';
import { flat, refusalReply } from './presenters';

type Card = Record<string, unknown>;

export const defaultReportsDir = './data/reports';

/** The bot acting for the business unit on steps that follow from others' (the report after sign-off). */

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
    deps.background.afterReply(async () => {
      await writeReport(deps, reviewId);
      await sendNotices(deps, reviewId, 'outcome');
    });
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
 * Writes the report (ready, never sent: a person says when it went). The file is named by the
 * reference only; the message that carries it names the file and what it still lacks, nothing about
 * the child.
 */
export async function writeReport(
  deps: FlowDeps,
  reviewId: string,
): Promise<{ reportPath: string; missing: string[] } | undefined> {
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
    // What is missing is read from the document being written: a part saved since this report was
    // built must not be recorded as missing by a write that finishes after it.
    const result = await deps.store.updateReview(reviewId, (current) =>
      recordReportWritten(
        current,
        { file: report.fileName, writtenAt: now.toISOString(), missing: missingReportParts(current) },
        now.toISOString(),
      ),
    );
    const saved = result.ok ? result.review : review;
    const missing = missingReportParts(saved);
    log.info({ file: report.fileName, missing: missing.length }, 'rapid review report written');
    const due = milestone(computeTimeline(saved.anchors, profile), 'panel-report-due')?.due;
    await postInReviewChannel(
      deps,
      saved,
      noticeMessage(
        saved,
        `The Rapid Review report is ready: ${report.fileName}. It has not been sent to the National Panel. ` +
          `${removedSummary(report.removed)} ` +
          (missing.length > 0
            ? `Before it can be sent it needs ${missing.join('; ')} (mention me with "report summary …", "report episodes …" or "report context …").`
            : profile.endorsement.requiredBeforeSending && !saved.endorsedOn
              ? `Before it can be sent it needs the endorsement of ${profile.endorsement.by} (mention me with "endorsed" and the date).`
              : `Business unit: when you have sent it, mention me with "report sent" and the date` +
                (due ? ` (due by ${formatLongDate(due)}).` : '.')),
        [],
        missing.length > 0 ? 'warning' : 'info',
      ),
    );
    return { reportPath, missing };
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

/** "report": writes the report again (e.g. after the endorsement date or a part was added). */
export async function reportReply(deps: FlowDeps, reviewId: string, actor: Actor): Promise<CardReply> {
  const review = await deps.store.getReview(reviewId);
  if (!review) return refusalReply('This review no longer exists.');
  if (!actor.businessUnit) return refusalReply('Only the business unit writes the report.');
  if (!['signed-off', 'submitted-to-panel', 'panel-responded'].includes(review.state)) {
    return refusalReply('The report is written once every statutory partner has signed off the outcome.');
  }
  deps.background.afterReply(() => writeReport(deps, reviewId));
  return noticeReply(review, 'Writing the Rapid Review report; I post it in this channel when it is ready.');
}

const partOfWord: Record<string, ReportPartKey> = {
  summary: 'incidentSummary',
  incident: 'incidentSummary',
  episodes: 'practiceEpisodes',
  practice: 'practiceEpisodes',
  context: 'childContext',
};

/** "report summary|episodes|context <text>": a part of the report people write. */
export async function reportPartReply(
  deps: FlowDeps,
  reviewId: string,
  word: string,
  text: string,
  actor: Actor,
): Promise<CardReply> {
  const key = partOfWord[word];
  if (!key) return refusalReply('Say "report summary …", "report episodes …" or "report context …".');
  if (!text.trim()) return refusalReply(`Write ${reportPartLabels[key]} after the command.`);
  const at = deps.clock.now().toISOString();
  const result = await deps.store.updateReview(reviewId, (current) =>
    recordReportParts(current, { [key]: text.trim() }, actor, at),
  );
  if (!result.ok) return refusalReply(result.reason);
  const saved = result.review;
  if (['signed-off', 'panel-responded'].includes(saved.state))
    deps.background.afterReply(() => writeReport(deps, reviewId));
  const missing = missingReportParts(saved);
  return noticeReply(
    saved,
    `Recorded ${reportPartLabels[key]}.` +
      (missing.length > 0 ? ` The report still needs ${missing.join('; ')}.` : ' Every required part is in.'),
  );
}

/** "report sent [YYYY-MM-DD]": the business unit says the report went to the National Panel. */
export async function reportSentReply(
  deps: FlowDeps,
  reviewId: string,
  dateText: string,
  actor: Actor,
): Promise<CardReply> {
  const today = civilDateInLondon(deps.clock.now());
  const parsed = parseDateArgument(dateText, today);
  if (!parsed.ok) return refusalReply('Give the date the report was sent as YYYY-MM-DD (today or earlier).');
  const review = await deps.store.getReview(reviewId);
  if (!review) return refusalReply('This review no longer exists.');
  const profile = profileOf(deps, review);
  const at = deps.clock.now().toISOString();
  const result = await deps.store.updateReview(reviewId, (current) =>
    recordReportSent(current, parsed.date, reportSendingRules(current, profile), actor, at),
  );
  if (!result.ok) {
    return refusalReply(`The report is not recorded as sent: ${result.reason}.`);
  }
  const saved = result.review;
  const due = milestone(computeTimeline(saved.anchors, profile), 'panel-response-expected')?.due;
  return noticeReply(
    saved,
    `Recorded: ${actor.person.name} sent the report to the National Panel on ${formatLongDate(parsed.date)}.` +
      (due ? ` The Panel’s response is expected by ${formatLongDate(due)}.` : ''),
  );
}

const panelAnswerWords: Record<string, PanelAnswer> = {
  agrees: 'agrees',
  agreed: 'agrees',
  'more-information': 'more-information',
  more: 'more-information',
  information: 'more-information',
  national: 'national-review',
  'national-review': 'national-review',
};

/** "panel response [agrees|more-information|national] [YYYY-MM-DD]": the Panel answered. */
export async function recordPanelResponseReply(
  deps: FlowDeps,
  reviewId: string,
  dateText: string,
  actor: Actor,
  answerWord = 'agrees',
): Promise<CardReply> {
  const answer = panelAnswerWords[answerWord];
  if (!answer) return refusalReply('Say what the Panel answered: agrees, more-information or national.');
  const today = civilDateInLondon(deps.clock.now());
  const parsed = parseDateArgument(dateText, today);
  if (!parsed.ok)
    return refusalReply('Give the date of the Panel’s response as YYYY-MM-DD (today or earlier).');
  const at = deps.clock.now().toISOString();
  const result = await deps.store.updateReview(reviewId, (current) =>
    recordPanelResponse(current, parsed.date, actor, at, answer),
  );
  if (!result.ok) return refusalReply(result.reason);
  const saved = result.review;
  const profile = profileOf(deps, saved);
  let next = '';
  if (answer === 'more-information') {
    next =
      ' Send the Panel the information it asked for, then mention me with "report sent" and the date: ' +
      `the Panel’s ${profile.panel.responseDays} working days start again from then.`;
  } else if (profile.postReviewMeetingDays !== null) {
    const due = calendarFor(profile.calendar).addWorkingDays(parsed.date, profile.postReviewMeetingDays);
    next = ` The post Rapid Review meeting is due by ${formatLongDate(due)}; record it with "post meeting held".`;
  } else {
    next = ' Close the review when its next steps are in hand ("close review" and a reason).';
  }
  deps.background.afterReply(() => sendNotices(deps, reviewId, 'panel-response'));
  return noticeReply(
    saved,
    `The National Panel’s response of ${formatLongDate(parsed.date)} is recorded: ${panelAnswerLabels[answer]}.` +
      next,
  );
}

/**
 * "post meeting held YYYY-MM-DD; <Panel response>; <next steps>; <parental engagement>": the post Rapid
 * Review meeting and its agenda.
 */
export async function postReviewMeetingReply(
  deps: FlowDeps,
  reviewId: string,
  args: string,
  actor: Actor,
): Promise<CardReply> {
  const [dateText = '', panelResponse = '', nextSteps = '', parentalEngagement = ''] = args
    .split(';')
    .map((p) => p.trim());
  const today = civilDateInLondon(deps.clock.now());
  const parsed = parseDateArgument(dateText, today);
  if (!parsed.ok) {
    return refusalReply(
      'Say "post meeting held YYYY-MM-DD; the Panel’s response discussed; next steps; parental engagement".',
    );
  }
  const review = await deps.store.getReview(reviewId);
  if (!review) return refusalReply('This review no longer exists.');
  const profile = profileOf(deps, review);
  const at = deps.clock.now().toISOString();
  const result = await deps.store.updateReview(reviewId, (current) =>
    recordPostReviewMeeting(
      current,
      { heldOn: parsed.date, panelResponse, nextSteps, parentalEngagement },
      profile.postReviewMeetingDays !== null,
      actor,
      at,
    ),
  );
  if (!result.ok) return refusalReply(result.reason);
  return noticeReply(
    result.review,
    `The post Rapid Review meeting of ${formatLongDate(parsed.date)} is recorded.`,
  );
}

/** "reconvene <reason>": a meeting that decided nothing is booked again, late if it must be. */
export async function reconveneReply(
  deps: FlowDeps,
  reviewId: string,
  reason: string,
  actor: Actor,
): Promise<CardReply> {
  const at = deps.clock.now().toISOString();
  const result = await deps.store.updateReview(reviewId, (current) =>
    reconveneMeeting(current, reason, actor, at),
  );
  if (!result.ok) return refusalReply(result.reason);
  const saved = result.review;
  const profile = profileOf(deps, saved);
  const closes = milestone(computeTimeline(saved.anchors, profile), 'meeting-window-closes')?.due;
  const today = civilDateInLondon(deps.clock.now());
  const late = closes !== undefined && closes !== null && closes < today;
  return noticeReply(
    saved,
    `The review meeting is to be reconvened (${reason}). Mention me with "meeting" to book it.` +
      (late ? ` It will be late: the meeting window closed on ${formatLongDate(closes)}.` : ''),
  );
}

/** "close review <reason>": the business unit closes the review from any state. */
export async function closeReviewReply(
  deps: FlowDeps,
  reviewId: string,
  reason: string,
  actor: Actor,
): Promise<CardReply> {
  const at = deps.clock.now().toISOString();
  const result = await deps.store.updateReview(reviewId, (current) =>
    closeReview(current, reason, actor, at),
  );
  if (!result.ok) {
    return refusalReply(`The review is not closed: ${result.reason}.`);
  }
  return noticeReply(result.review, `The review is closed by ${actor.person.name}: ${reason}.`);
}
