/**
 * The review's lifecycle as explicit states with legal transitions, and every command on a review as
 * a pure function (review, command) → the changed review and its audit lines, or a refusal with a
 * reason. The store runs these inside one transaction (ReviewStore.updateReview), so a refused step
 * changes nothing and an accepted one is saved whole, with its audit, or not at all.
 */
import type { ChangeResult } from './store';
import {
  agencyKindLabels,
  type PanelAnswer,
  type ReportParts,
  type WrittenReport,
  statutoryPartnerKinds,
  type Agency,
  type AgencyKind,
  type AuditEvent,
  type CivilDate,
  type Instant,
  type Meeting,
  type NoticeSent,
  type Outcome,
  type Person,
  type QuorumDecision,
  type Review,
  type ReviewAnchors,
  type ReviewState,
  type ScopingCardThread,
  type ScopingReturnAnswers,
  type Subject,
} from './model';

/** Which state may follow which. Anything else is refused. */
/**
 * Which state may follow which. Anything else is refused. Every state but 'closed' has a way
 * forward, and the business unit can close a review from any of them with a reason.
 */
export const legalTransitions: Record<ReviewState, readonly ReviewState[]> = {
  opened: ['scoping', 'closed'],
  scoping: ['meeting-booked', 'closed'],
  'meeting-booked': ['scoping', 'meeting-held', 'closed'],
  // A meeting that decided nothing (not quorate) is reconvened: back to scoping to book again.
  'meeting-held': ['scoping', 'decided', 'closed'],
  decided: ['signed-off', 'closed'],
  // The report goes to the Panel only when a person says it went.
  'signed-off': ['submitted-to-panel', 'closed'],
  'submitted-to-panel': ['panel-responded', 'closed'],
  // The Panel asked for more information: sending it starts the Panel's clock again.
  'panel-responded': ['submitted-to-panel', 'closed'],
  closed: [],
};

/** Who is acting, and whether they act for the partnership's business unit. */
export interface Actor {
  person: Person;
  businessUnit: boolean;
}

export function samePerson(a: Person, b: Person): boolean {
  if (a.aadObjectId && b.aadObjectId) return a.aadObjectId === b.aadObjectId;
  if (a.email && b.email) return a.email.toLowerCase() === b.email.toLowerCase();
  return false;
}

function refuse(review: Review, actor: Actor, at: Instant, action: string, reason: string): ChangeResult {
  return { ok: false, reason, audit: [audit(review.id, actor, at, `${action}.refused`, { reason })] };
}

function audit(
  reviewId: string,
  actor: Actor | { system: string },
  at: Instant,
  action: string,
  detail?: Record<string, unknown>,
): AuditEvent {
  const who = 'person' in actor ? actor.person : actor;
  return { reviewId, at, actor: who, action, ...(detail ? { detail } : {}) };
}

function moveTo(review: Review, to: ReviewState): Review | string {
  if (review.state === to) return review;
  if (!legalTransitions[review.state].includes(to)) {
    return `a review that is '${review.state}' cannot become '${to}'`;
  }
  return { ...review, state: to };
}

export interface OpenReviewInput {
  id: string;
  reference: string;
  pseudonym: string;
  profileId: string;
  anchors: ReviewAnchors;
  scopingReturnDays?: number;
  subject: Subject;
  agencies: Agency[];
  /** The chair chosen for this review on the form (else the partnership's chair setting). */
  chair?: Person;
}

export const referencePattern = /^RR-\d{4}-\d{3,}$/;

/** Creates a review. Validation of the form happens in cards/; this guards the domain's own rules. */
export function openReview(
  input: OpenReviewInput,
  actor: Actor,
  at: Instant,
): { ok: true; review: Review; audit: AuditEvent[] } | { ok: false; reason: string } {
  if (!actor.businessUnit) return { ok: false, reason: 'only the business unit can open a review' };
  if (!referencePattern.test(input.reference)) {
    return { ok: false, reason: `reference: must look like RR-2026-003 (got '${input.reference}')` };
  }
  const ids = new Set<string>();
  for (const agency of input.agencies) {
    if (ids.has(agency.id)) return { ok: false, reason: `agencies: '${agency.id}' is listed twice` };
    ids.add(agency.id);
  }
  const review: Review = {
    ...input,
    state: 'opened',
    scopingReturns: input.agencies.map((a) => ({ agencyId: a.id, status: 'requested', revision: 0 })),
    signOffs: [],
    teamspace: { membersAdded: [], scopingCards: [] },
    openedBy: actor.person,
    openedAt: at,
    version: 0,
  };
  // The audit line carries the reference and agency list, never the subject's details.
  return {
    ok: true,
    review,
    audit: [
      audit(review.id, actor, at, 'review.opened', {
        reference: review.reference,
        profileId: review.profileId,
        agencies: review.agencies.map((a) => a.id),
      }),
    ],
  };
}

/** The agency's scoping-request card, once posted. */
export function scopingCardOf(review: Review, agencyId: string): ScopingCardThread | undefined {
  return review.teamspace.scopingCards.find((card) => card.agencyId === agencyId);
}

/** The channel members' Teams user ids by member key (object id or email, lower case). */
export function teamsUserIdsOf(review: Review): ReadonlyMap<string, string> {
  return new Map((review.teamspace.teamsUserIds ?? []).map((entry) => [entry.memberKey, entry.teamsUserId]));
}

/** Records progress of the outside work (channel, members, cards) so a restart resumes from it. */
export function recordTeamspace(
  review: Review,
  change: Partial<Review['teamspace']>,
  at: Instant,
  action: string,
): ChangeResult {
  // Cards in `change` are added to those recorded, one per agency (a newer one replaces its agency's).
  const added = new Set((change.scopingCards ?? []).map((card) => card.agencyId));
  const teamspace = {
    ...review.teamspace,
    ...change,
    scopingCards: [
      ...review.teamspace.scopingCards.filter((card) => !added.has(card.agencyId)),
      ...(change.scopingCards ?? []),
    ],
  };
  // Conversation references are plumbing, not history: the audit keeps ids only.
  const detail: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(change)) {
    if (key === 'conversationReference' || key === 'originReference') continue;
    detail[key] = key === 'scopingCards' ? [...added] : value;
  }
  return {
    ok: true,
    review: { ...review, teamspace },
    audit: [audit(review.id, { system: 'rapid-review-bot' }, at, action, detail)],
  };
}

export function markScopingSent(review: Review, on: CivilDate, actor: Actor, at: Instant): ChangeResult {
  const moved = moveTo(review, 'scoping');
  if (typeof moved === 'string') return refuse(review, actor, at, 'scoping.sent', moved);
  return {
    ok: true,
    review: { ...moved, anchors: { ...moved.anchors, scopingSent: moved.anchors.scopingSent ?? on } },
    audit: [audit(review.id, actor, at, 'scoping.sent', { on })],
  };
}

/** Anchor dates the business unit records as they become known (SIN sent, aware, panel response…). */
export function recordAnchor(
  review: Review,
  anchor: 'aware' | 'sinSent' | 'referral',
  on: CivilDate,
  actor: Actor,
  at: Instant,
): ChangeResult {
  if (!actor.businessUnit)
    return refuse(review, actor, at, 'anchor.recorded', 'only the business unit records dates');
  if (review.state === 'closed') return refuse(review, actor, at, 'anchor.recorded', 'the review is closed');
  return {
    ok: true,
    review: { ...review, anchors: { ...review.anchors, [anchor]: on } },
    audit: [
      audit(review.id, actor, at, 'anchor.recorded', {
        anchor,
        on,
        previous: review.anchors[anchor] ?? null,
      }),
    ],
  };
}

export function agencyOf(review: Review, agencyId: string): Agency | undefined {
  return review.agencies.find((a) => a.id === agencyId);
}

export function isRepresentativeOf(agency: Agency, person: Person): boolean {
  return agency.representatives.some((rep) => samePerson(rep, person));
}

/** Agencies a person represents in this review (used to match attendees and card actions). */
export function agenciesRepresentedBy(review: Review, person: Person): Agency[] {
  return review.agencies.filter((a) => isRepresentativeOf(a, person));
}

/**
 * Returns are editable until the meeting starts: after that the meeting has read them, and changes
 * belong in the meeting's record instead.
 */
export function scopingReturnsEditable(review: Review, at: Instant): string | null {
  if (!['opened', 'scoping', 'meeting-booked'].includes(review.state)) {
    return `scoping returns can no longer be changed: the review is '${review.state}'`;
  }
  if (review.meeting && review.meeting.status === 'booked' && at >= review.meeting.start) {
    return 'scoping returns can no longer be changed: the review meeting has started';
  }
  return null;
}

/**
 * Only the agency's own representatives and the business unit may submit or edit its return. Checked
 * before the form is validated, so an outsider learns nothing from field messages; the refusal is
 * audited.
 */
export function scopingReturnRefusal(
  review: Review,
  agencyId: string,
  actor: Actor,
  at: Instant,
): (ChangeResult & { ok: false }) | null {
  const action = 'scoping-return.submitted';
  const agency = agencyOf(review, agencyId);
  if (!agency) {
    return {
      ok: false,
      reason: `agency '${agencyId}' is not part of this review`,
      audit: [audit(review.id, actor, at, `${action}.refused`, { agencyId, reason: 'unknown agency' })],
    };
  }
  if (actor.businessUnit || isRepresentativeOf(agency, actor.person)) return null;
  return {
    ok: false,
    reason: `only ${agency.name}'s representatives or the business unit can submit or edit its return`,
    audit: [audit(review.id, actor, at, `${action}.refused`, { agencyId, reason: 'not a representative' })],
  };
}

/**
 * A return made from an older revision than the one saved (someone else saved meanwhile, or an old
 * copy of the card was sent again) is refused, so nobody's answers are overwritten without a word.
 */
export function staleScopingReturn(
  review: Review,
  agencyId: string,
  madeFromRevision: number,
  actor: Actor,
  at: Instant,
): (ChangeResult & { ok: false }) | null {
  const current = review.scopingReturns.find((r) => r.agencyId === agencyId)?.revision ?? 0;
  if (madeFromRevision === current) return null;
  return {
    ok: false,
    reason:
      `this form was made from revision ${madeFromRevision} of the return, but revision ${current} ` +
      'has been saved since: nothing was saved',
    audit: [
      audit(review.id, actor, at, 'scoping-return.submitted.refused', {
        agencyId,
        reason: 'stale revision',
        madeFromRevision,
        revision: current,
      }),
    ],
  };
}

export function submitScopingReturn(
  review: Review,
  agencyId: string,
  answers: ScopingReturnAnswers,
  actor: Actor,
  at: Instant,
): ChangeResult {
  const action = 'scoping-return.submitted';
  const refusal = scopingReturnRefusal(review, agencyId, actor, at);
  if (refusal) return refusal;
  const locked = scopingReturnsEditable(review, at);
  if (locked) return refuse(review, actor, at, action, locked);
  const previous = review.scopingReturns.find((r) => r.agencyId === agencyId);
  const revision = (previous?.revision ?? 0) + 1;
  const updated = {
    agencyId,
    status: 'submitted' as const,
    answers,
    submittedBy: actor.person,
    submittedAt: at,
    revision,
  };
  return {
    ok: true,
    review: {
      ...review,
      scopingReturns: review.scopingReturns.some((r) => r.agencyId === agencyId)
        ? review.scopingReturns.map((r) => (r.agencyId === agencyId ? updated : r))
        : [...review.scopingReturns, updated],
    },
    audit: [
      audit(review.id, actor, at, revision === 1 ? action : 'scoping-return.edited', {
        agencyId,
        revision,
        // Which fields changed, never their content: the content is special-category data.
        changedFields: changedFields(previous?.answers, answers),
      }),
    ],
  };
}

function changedFields(before: ScopingReturnAnswers | undefined, after: ScopingReturnAnswers): string[] {
  const keys = new Set([...Object.keys(before ?? {}), ...Object.keys(after)]) as Set<
    keyof ScopingReturnAnswers
  >;
  return [...keys].filter((k) => JSON.stringify(before?.[k]) !== JSON.stringify(after[k])).sort();
}

export function bookMeeting(review: Review, meeting: Meeting, actor: Actor, at: Instant): ChangeResult {
  const action = review.meeting?.status === 'booked' ? 'meeting.rescheduled' : 'meeting.booked';
  if (!actor.businessUnit)
    return refuse(review, actor, at, action, 'only the business unit books the meeting');
  const late = meeting.late;
  if (late && !review.reconvenings?.some((r) => r.at === late.reconvenedAt)) {
    return refuse(review, actor, at, action, 'only a reconvened meeting may be booked after its window');
  }
  const moved = moveTo(review, 'meeting-booked');
  if (typeof moved === 'string') return refuse(review, actor, at, action, moved);
  return {
    ok: true,
    review: { ...moved, meeting: { ...meeting, status: 'booked' } },
    audit: [
      audit(review.id, actor, at, action, {
        start: meeting.start,
        end: meeting.end,
        previousStart: review.meeting?.status === 'booked' ? review.meeting.start : null,
        // Why it may be late: the reconvening (its reason is in that step's audit line).
        late: late
          ? { windowClosedOn: late.windowClosedOn, because: 'reconvened', reconvenedAt: late.reconvenedAt }
          : null,
      }),
    ],
  };
}

export function cancelMeeting(review: Review, reason: string, actor: Actor, at: Instant): ChangeResult {
  if (!actor.businessUnit)
    return refuse(review, actor, at, 'meeting.cancelled', 'only the business unit cancels');
  if (!review.meeting || review.meeting.status !== 'booked') {
    return refuse(review, actor, at, 'meeting.cancelled', 'there is no booked meeting to cancel');
  }
  const moved = moveTo(review, 'scoping');
  if (typeof moved === 'string') return refuse(review, actor, at, 'meeting.cancelled', moved);
  return {
    ok: true,
    review: { ...moved, meeting: { ...review.meeting, status: 'cancelled', cancellationReason: reason } },
    audit: [
      audit(review.id, actor, at, 'meeting.cancelled', { start: review.meeting.start, reasonGiven: true }),
    ],
  };
}

export function recordMeetingHeld(
  review: Review,
  on: CivilDate,
  actor: Actor | { system: string },
  at: Instant,
): ChangeResult {
  const moved = moveTo(review, 'meeting-held');
  if (typeof moved === 'string') {
    return {
      ok: false,
      reason: moved,
      audit: [audit(review.id, actor, at, 'meeting.held.refused', { reason: moved })],
    };
  }
  return {
    ok: true,
    review: {
      ...moved,
      anchors: { ...moved.anchors, meetingHeld: on },
      meeting: moved.meeting ? { ...moved.meeting, status: 'held' } : moved.meeting,
    },
    audit: [audit(review.id, actor, at, 'meeting.held', { on })],
  };
}

/** Which statutory partners are present, from the people present and the representative register. */
export function assessQuorum(
  review: Review,
  present: Person[],
  partnerKinds: AgencyKind[] = statutoryPartnerKinds,
  minimumPerPartner = 1,
): { quorate: boolean; present: QuorumDecision['present']; missing: AgencyKind[]; unknown: Person[] } {
  const byKind = new Map<AgencyKind, string[]>(partnerKinds.map((k) => [k, []]));
  const unknown: Person[] = [];
  for (const person of present) {
    const agencies = agenciesRepresentedBy(review, person);
    if (agencies.length === 0) unknown.push(person);
    for (const agency of agencies) byKind.get(agency.kind)?.push(person.name);
  }
  const missing = partnerKinds.filter((k) => (byKind.get(k)?.length ?? 0) < minimumPerPartner);
  return {
    quorate: missing.length === 0,
    present: partnerKinds.map((k) => ({ agencyKind: k, people: byKind.get(k) ?? [] })),
    missing,
    unknown,
  };
}

export function recordQuorumDecision(
  review: Review,
  decision: Omit<QuorumDecision, 'decidedBy' | 'decidedAt'>,
  actor: Actor,
  at: Instant,
): ChangeResult {
  const action = 'quorum.decided';
  const chair = review.meeting?.chair;
  if (!chair || !samePerson(chair, actor.person)) {
    return refuse(review, actor, at, action, 'only the chair of the review meeting can confirm quorum');
  }
  if (!['meeting-booked', 'meeting-held'].includes(review.state)) {
    return refuse(
      review,
      actor,
      at,
      action,
      `quorum cannot be decided while the review is '${review.state}'`,
    );
  }
  const quorumDecision: QuorumDecision = { ...decision, decidedBy: actor.person, decidedAt: at };
  return {
    ok: true,
    review: { ...review, quorumDecision },
    audit: [
      audit(review.id, actor, at, action, {
        quorate: decision.quorate,
        present: decision.present.map((p) => ({ agencyKind: p.agencyKind, count: p.people.length })),
        missing: decision.missing,
      }),
    ],
  };
}

export function recordOutcome(
  review: Review,
  outcome: Omit<Outcome, 'recordedBy' | 'recordedAt'>,
  actor: Actor,
  at: Instant,
): ChangeResult {
  const action = 'outcome.recorded';
  const isChair = review.meeting?.chair ? samePerson(review.meeting.chair, actor.person) : false;
  if (!isChair && !actor.businessUnit) {
    return refuse(review, actor, at, action, 'only the chair or the business unit records the outcome');
  }
  if (!review.quorumDecision?.quorate) {
    return refuse(review, actor, at, action, 'the outcome needs a quorate meeting confirmed by the chair');
  }
  const moved = moveTo(review, 'decided');
  if (typeof moved === 'string') return refuse(review, actor, at, action, moved);
  return {
    ok: true,
    review: { ...moved, outcome: { ...outcome, recordedBy: actor.person, recordedAt: at } },
    audit: [
      audit(review.id, actor, at, action, {
        lcspr: outcome.lcspr ?? null,
        nationalImportance: outcome.nationalImportance ?? null,
      }),
    ],
  };
}

/** A statutory partner's lead signs off; when every partner has, the review is signed off. */
export function signOff(
  review: Review,
  agencyKind: AgencyKind,
  actor: Actor,
  at: Instant,
  partnerKinds: AgencyKind[] = statutoryPartnerKinds,
): ChangeResult {
  const action = 'outcome.signed-off';
  if (review.state !== 'decided') {
    return refuse(
      review,
      actor,
      at,
      action,
      `sign-off needs a recorded outcome (the review is '${review.state}')`,
    );
  }
  if (!partnerKinds.includes(agencyKind)) {
    return refuse(review, actor, at, action, `${agencyKindLabels[agencyKind]} is not a statutory partner`);
  }
  const lead = review.agencies.find(
    (a) => a.kind === agencyKind && a.lead && samePerson(a.lead, actor.person),
  );
  if (!lead) {
    return refuse(
      review,
      actor,
      at,
      action,
      `only the ${agencyKindLabels[agencyKind]} partner lead can sign off`,
    );
  }
  if (review.signOffs.some((s) => s.agencyKind === agencyKind)) {
    return refuse(review, actor, at, action, `${agencyKindLabels[agencyKind]} has already signed off`);
  }
  const signOffs = [...review.signOffs, { agencyKind, by: actor.person, at }];
  const complete = partnerKinds.every((k) => signOffs.some((s) => s.agencyKind === k));
  const next = complete ? moveTo(review, 'signed-off') : review;
  if (typeof next === 'string') return refuse(review, actor, at, action, next);
  return {
    ok: true,
    review: { ...next, signOffs },
    audit: [audit(review.id, actor, at, action, { agencyKind, complete })],
  };
}

export function recordEndorsement(review: Review, on: CivilDate, actor: Actor, at: Instant): ChangeResult {
  if (!actor.businessUnit)
    return refuse(review, actor, at, 'outcome.endorsed', 'only the business unit records it');
  if (!review.outcome)
    return refuse(review, actor, at, 'outcome.endorsed', 'there is no outcome to endorse yet');
  return {
    ok: true,
    review: { ...review, endorsedOn: on },
    audit: [audit(review.id, actor, at, 'outcome.endorsed', { on })],
  };
}

/** The bot wrote the report; it is ready, not sent. A report missing a required part is a draft. */
export function recordReportWritten(review: Review, report: WrittenReport, at: Instant): ChangeResult {
  const action = 'report.written';
  const bot = { system: 'rapid-review-bot' };
  if (!['signed-off', 'submitted-to-panel', 'panel-responded'].includes(review.state)) {
    return {
      ok: false,
      reason: `the report is written once the outcome is signed off (the review is '${review.state}')`,
      audit: [audit(review.id, bot, at, `${action}.refused`, { state: review.state })],
    };
  }
  return {
    ok: true,
    review: { ...review, report },
    audit: [audit(review.id, bot, at, action, { file: report.file, missing: report.missing })],
  };
}

/** The parts of the report only people can write (business unit or chair), until it is sent. */
export function recordReportParts(
  review: Review,
  parts: ReportParts,
  actor: Actor,
  at: Instant,
): ChangeResult {
  const action = 'report.parts.recorded';
  const isChair = review.meeting?.chair ? samePerson(review.meeting.chair, actor.person) : false;
  if (!isChair && !actor.businessUnit) {
    return refuse(review, actor, at, action, 'only the chair or the business unit writes the report');
  }
  if (!['meeting-held', 'decided', 'signed-off', 'panel-responded'].includes(review.state)) {
    return refuse(
      review,
      actor,
      at,
      action,
      `the report cannot be changed while the review is '${review.state}'`,
    );
  }
  const merged: ReportParts = { ...(review.reportParts ?? {}) };
  for (const [key, value] of Object.entries(parts) as [keyof ReportParts, string | undefined][]) {
    if (value !== undefined) merged[key] = value;
  }
  return {
    ok: true,
    review: { ...review, reportParts: merged },
    // Which parts, never their content.
    audit: [audit(review.id, actor, at, action, { parts: Object.keys(parts).sort() })],
  };
}

export interface ReportSendingRules {
  /** Required parts still missing from the written report (see review/report.ts missingReportParts). */
  missing: string[];
  /** The profile requires the endorsement before the report is sent. */
  endorsementRequired: boolean;
  endorsedBy: string;
}

/**
 * A person (the business unit) says the report went to the National Panel on `on`. Refused while
 * no report has been written, while a required part is missing, or before a required endorsement.
 * After the Panel asked for more information, the same step records that the information went.
 */
export function recordReportSent(
  review: Review,
  on: CivilDate,
  rules: ReportSendingRules,
  actor: Actor,
  at: Instant,
): ChangeResult {
  const action = 'report.sent';
  if (!actor.businessUnit)
    return refuse(review, actor, at, action, 'only the business unit says the report was sent');
  const resending =
    review.state === 'panel-responded' && review.panelResponses?.at(-1)?.answer === 'more-information';
  if (review.state !== 'signed-off' && !resending) {
    return refuse(
      review,
      actor,
      at,
      action,
      review.state === 'submitted-to-panel'
        ? 'the report is already recorded as sent to the National Panel'
        : `the report can be sent once every statutory partner has signed off (the review is '${review.state}')`,
    );
  }
  if (!review.report) return refuse(review, actor, at, action, 'the report has not been written yet');
  const missing = [...new Set([...review.report.missing, ...rules.missing])];
  if (missing.length > 0) {
    return refuse(review, actor, at, action, `the report is missing: ${missing.join('; ')}`);
  }
  if (rules.endorsementRequired && !review.endorsedOn) {
    return refuse(review, actor, at, action, `the report needs the endorsement of ${rules.endorsedBy} first`);
  }
  const moved = moveTo(review, 'submitted-to-panel');
  if (typeof moved === 'string') return refuse(review, actor, at, action, moved);
  const sending = { by: actor.person, at, on, file: review.report.file };
  return {
    ok: true,
    review: {
      ...moved,
      anchors: { ...moved.anchors, panelSubmitted: on },
      panelReportFile: review.report.file,
      reportSendings: [...(review.reportSendings ?? []), sending],
    },
    audit: [audit(review.id, actor, at, action, { on, file: review.report.file, resending })],
  };
}

/** What the National Panel answered: agrees, asks for more information, or a national review. */
export function recordPanelResponse(
  review: Review,
  on: CivilDate,
  actor: Actor,
  at: Instant,
  answer: PanelAnswer = 'agrees',
): ChangeResult {
  const action = 'panel.responded';
  if (!actor.businessUnit) return refuse(review, actor, at, action, 'only the business unit records it');
  if (review.state !== 'submitted-to-panel') {
    return refuse(review, actor, at, action, 'the Panel answers a report recorded as sent to it');
  }
  if (review.anchors.panelSubmitted && on < review.anchors.panelSubmitted) {
    return refuse(review, actor, at, action, 'the Panel cannot answer before the report was sent');
  }
  const moved = moveTo(review, 'panel-responded');
  if (typeof moved === 'string') return refuse(review, actor, at, action, moved);
  return {
    ok: true,
    review: {
      ...moved,
      anchors: { ...moved.anchors, panelResponse: on },
      panelResponses: [
        ...(review.panelResponses ?? []),
        { on, answer, recordedBy: actor.person, recordedAt: at },
      ],
    },
    audit: [audit(review.id, actor, at, action, { on, answer })],
  };
}

/** The post Rapid Review meeting was held (profiles that have one), with its agenda. */
export function recordPostReviewMeeting(
  review: Review,
  meeting: { heldOn: CivilDate; panelResponse: string; nextSteps: string; parentalEngagement: string },
  profileHasMeeting: boolean,
  actor: Actor,
  at: Instant,
): ChangeResult {
  const action = 'post-review-meeting.held';
  if (!actor.businessUnit) return refuse(review, actor, at, action, 'only the business unit records it');
  if (!profileHasMeeting) {
    return refuse(review, actor, at, action, 'this partnership holds no post Rapid Review meeting');
  }
  if (review.state !== 'panel-responded' || !review.anchors.panelResponse) {
    return refuse(review, actor, at, action, 'the post Rapid Review meeting follows the Panel’s response');
  }
  if (meeting.heldOn < review.anchors.panelResponse) {
    return refuse(review, actor, at, action, 'the meeting cannot be before the Panel’s response');
  }
  const empty = (['panelResponse', 'nextSteps', 'parentalEngagement'] as const).filter(
    (k) => !meeting[k].trim(),
  );
  if (empty.length > 0) {
    return refuse(review, actor, at, action, `the agenda needs: ${empty.join(', ')}`);
  }
  return {
    ok: true,
    review: { ...review, postReviewMeeting: { ...meeting, recordedBy: actor.person, recordedAt: at } },
    audit: [audit(review.id, actor, at, action, { heldOn: meeting.heldOn })],
  };
}

/**
 * Reconvene the review meeting after one that decided nothing (recorded not quorate, or held with no
 * outcome): back to 'scoping' so the business unit books again, outside the window if it must. The
 * earlier meeting's date is cleared from the anchors so the window shows as missed (late), and kept
 * here and in the audit.
 */
export function reconveneMeeting(review: Review, reason: string, actor: Actor, at: Instant): ChangeResult {
  const action = 'meeting.reconvened';
  if (!actor.businessUnit)
    return refuse(review, actor, at, action, 'only the business unit reconvenes the meeting');
  if (!reason.trim()) return refuse(review, actor, at, action, 'give a reason to reconvene the meeting');
  if (review.state !== 'meeting-held' && review.state !== 'meeting-booked') {
    return refuse(
      review,
      actor,
      at,
      action,
      `there is no meeting to reconvene (the review is '${review.state}')`,
    );
  }
  if (review.outcome) return refuse(review, actor, at, action, 'the meeting has decided the outcome');
  const moved = moveTo(review, 'scoping');
  if (typeof moved === 'string') return refuse(review, actor, at, action, moved);
  const { meetingHeld, ...anchors } = moved.anchors;
  const { quorumDecision: _q, attendance: _a, ...rest } = moved;
  void _q;
  void _a;
  const meeting = rest.meeting
    ? { ...rest.meeting, status: rest.meeting.status === 'held' ? ('held' as const) : ('cancelled' as const) }
    : undefined;
  if (meeting) delete meeting.live;
  return {
    ok: true,
    review: {
      ...rest,
      anchors,
      ...(meeting ? { meeting } : {}),
      reconvenings: [
        ...(review.reconvenings ?? []),
        { reason, by: actor.person, at, ...(meetingHeld ? { previousMeetingOn: meetingHeld } : {}) },
      ],
    },
    audit: [
      audit(review.id, actor, at, action, {
        reason,
        previousState: review.state,
        previousMeetingOn: meetingHeld ?? null,
        quorate: review.quorumDecision?.quorate ?? null,
      }),
    ],
  };
}

/** A notice to a role was posted (recorded only after the post succeeded). */
export function recordNoticeSent(review: Review, notice: Omit<NoticeSent, 'at'>, at: Instant): ChangeResult {
  // Told once: a second record of the same notice (two runs racing) changes nothing.
  if (review.notices?.some((n) => n.event === notice.event && n.role === notice.role)) {
    return { ok: false, reason: `${notice.role} has already been told that the review ${notice.event}` };
  }
  return {
    ok: true,
    review: { ...review, notices: [...(review.notices ?? []), { ...notice, at }] },
    audit: [audit(review.id, { system: 'rapid-review-bot' }, at, 'notice.sent', notice)],
  };
}

/**
 * A scoping return's concerns were flagged to the business unit (recorded only after the post
 * succeeded); the agency and which concerns, never the answers.
 */
export function recordScopingFlagged(
  review: Review,
  flag: { agencyId: string; concerns: string[]; revision: number },
  at: Instant,
): ChangeResult {
  return {
    ok: true,
    review: { ...review, scopingFlags: [...(review.scopingFlags ?? []), { ...flag, at }] },
    audit: [audit(review.id, { system: 'rapid-review-bot' }, at, 'scoping.flagged', flag)],
  };
}

/** The business unit closes a review from any open state, with a reason; a closed one stays closed. */
export function closeReview(review: Review, reason: string, actor: Actor, at: Instant): ChangeResult {
  const action = 'review.closed';
  if (!actor.businessUnit) return refuse(review, actor, at, action, 'only the business unit closes a review');
  if (review.state === 'closed') return refuse(review, actor, at, action, 'the review is already closed');
  if (!reason.trim()) return refuse(review, actor, at, action, 'give a reason to close the review');
  const moved = moveTo(review, 'closed');
  if (typeof moved === 'string') return refuse(review, actor, at, action, moved);
  return {
    ok: true,
    review: { ...moved, closure: { reason, by: actor.person, at, fromState: review.state } },
    // The reason is free text (it may name the child): it stays sealed in the review, never in the audit.
    audit: [audit(review.id, actor, at, action, { reasonGiven: true, fromState: review.state })],
  };
}
