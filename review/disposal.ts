/**
 * Retention and disposal: when a closed review's content is due to go, and what is left once it has
 * gone. The partnership profile's `retention.years` is the period, counted from the day the review was
 * closed. Disposal keeps a minimal record — reference, dates, the decision's answers, who signed off
 * and when — and removes the subject's details, the agencies' returns, the meeting and attendance,
 * every free text and the report. The audit trail (which never holds subject data) stays whole, with
 * the disposal's own line added.
 *
 * The minimal record is built by naming what is kept, so a part added to reviews later is removed
 * by default.
 */
import type { AuditEvent, CivilDate, Instant, Review } from './model';
import { outcomeAnswers } from './model';
import type { ChangeResult, ReviewStore } from './store';

export type DisposalStatus =
  | { due: true; closedOn: CivilDate; dueOn: CivilDate }
  | {
      due: false;
      why: 'open' | 'disposed' | 'no-retention-period' | 'no-closure-date' | 'not-yet';
      closedOn?: CivilDate;
      dueOn?: CivilDate;
    };

/** The same month and day `years` later; 29 February becomes 28 February in a common year. */
export function addYears(date: CivilDate, years: number): CivilDate {
  const [year, month, day] = date.split('-').map(Number) as [number, number, number];
  const target = year + years;
  const leap = (target % 4 === 0 && target % 100 !== 0) || target % 400 === 0;
  const lastDay = month === 2 && !leap ? 28 : day;
  return `${String(target).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(Math.min(day, lastDay)).padStart(2, '0')}`;
}

/**
 * Whether a review is due for disposal on `today`. `retentionYears` null means the partnership has
 * not decided a period: nothing is ever disposed of then.
 */
export function disposalStatus(
  review: Review,
  retentionYears: number | null,
  today: CivilDate,
): DisposalStatus {
  if (review.disposal) return { due: false, why: 'disposed' };
  if (review.state !== 'closed') return { due: false, why: 'open' };
  if (!review.closure) return { due: false, why: 'no-closure-date' };
  // The UTC date of the closing instant: at most an hour from London's date, and only ever later.
  const closedOn = review.closure.at.slice(0, 10);
  if (retentionYears === null) return { due: false, why: 'no-retention-period', closedOn };
  const dueOn = addYears(closedOn, retentionYears);
  return today >= dueOn ? { due: true, closedOn, dueOn } : { due: false, why: 'not-yet', closedOn, dueOn };
}

/** The report files a review names (the reports folder may hold more under its reference). */
export function namedReportFiles(review: Review): string[] {
  const names = [
    review.report?.file,
    review.panelReportFile,
    ...(review.reportSendings ?? []).map((sending) => sending.file),
  ].filter((name): name is string => typeof name === 'string' && name !== '');
  return [...new Set(names)];
}

/** The minimal record a disposed review leaves: only what is named here is kept. */
export function minimalRecord(review: Review, disposal: Review['disposal']): Review {
  const outcome = review.outcome;
  return {
    id: review.id,
    reference: review.reference,
    pseudonym: review.pseudonym,
    profileId: review.profileId,
    state: review.state,
    anchors: review.anchors,
    subject: { childName: '', familyMembers: [] },
    agencies: review.agencies.map((agency) => ({
      id: agency.id,
      name: agency.name,
      kind: agency.kind,
      representatives: [],
    })),
    scopingReturns: review.scopingReturns.map((entry) => ({
      agencyId: entry.agencyId,
      status: entry.status,
      revision: entry.revision,
      ...(entry.submittedAt === undefined ? {} : { submittedAt: entry.submittedAt }),
    })),
    ...(outcome && {
      outcome: {
        ...outcomeAnswers(outcome),
        rationale: '',
        immediateActions: '',
        learning: '',
        recordedBy: outcome.recordedBy,
        recordedAt: outcome.recordedAt,
      },
    }),
    signOffs: review.signOffs,
    ...(review.endorsedOn === undefined ? {} : { endorsedOn: review.endorsedOn }),
    ...(review.reportSendings && {
      reportSendings: review.reportSendings.map((sending) => ({ ...sending, file: '' })),
    }),
    ...(review.panelResponses && { panelResponses: review.panelResponses }),
    ...(review.closure && { closure: { ...review.closure, reason: '' } }),
    ...(disposal && { disposal }),
    teamspace: {
      membersAdded: [],
      scopingCards: [],
      ...(review.teamspace.teamId === undefined ? {} : { teamId: review.teamspace.teamId }),
      ...(review.teamspace.channelId === undefined ? {} : { channelId: review.teamspace.channelId }),
      ...(review.teamspace.channelName === undefined ? {} : { channelName: review.teamspace.channelName }),
    },
    openedBy: review.openedBy,
    openedAt: review.openedAt,
    version: review.version,
  };
}

export interface DisposalRun {
  retentionYears: number | null;
  today: CivilDate;
  actor: AuditEvent['actor'];
  at: Instant;
  reportFiles: number;
}

/**
 * The change that disposes of a review, checked again inside the store's transaction (a review
 * reopened or already disposed of meanwhile is refused, and the refusal audited).
 */
export function disposeReview(review: Review, run: DisposalRun): ChangeResult {
  const status = disposalStatus(review, run.retentionYears, run.today);
  const action = 'review.disposed';
  if (!status.due) {
    return {
      ok: false,
      reason: `${review.reference} is not due for disposal (${status.why})`,
      audit: [
        {
          reviewId: review.id,
          at: run.at,
          actor: run.actor,
          action: `${action}.refused`,
          detail: { reference: review.reference, why: status.why },
        },
      ],
    };
  }
  const retentionYears = run.retentionYears as number;
  const disposal = {
    at: run.at,
    by: run.actor,
    retentionYears,
    dueOn: status.dueOn,
    reportFiles: run.reportFiles,
  };
  const answers = review.outcome ? outcomeAnswers(review.outcome) : undefined;
  return {
    ok: true,
    review: minimalRecord(review, disposal),
    audit: [
      {
        reviewId: review.id,
        at: run.at,
        actor: run.actor,
        action,
        detail: {
          reference: review.reference,
          openedAt: review.openedAt,
          closedOn: status.closedOn,
          dueOn: status.dueOn,
          retentionYears,
          ...(answers && { outcome: answers }),
          reportFilesRemoved: run.reportFiles,
        },
      },
    ],
  };
}

export interface DueForDisposal {
  id: string;
  reference: string;
  closedOn: CivilDate;
  dueOn: CivilDate;
}

export interface DisposalPorts {
  store: ReviewStore;
  /** The retention period of a review's partnership profile (null: none decided). */
  retentionYears: (profileId: string) => number | null;
  /** Removes the review's report files; answers how many were removed (none missing is fine). */
  removeReportFiles: (review: Review) => Promise<number>;
}

/** Every review due for disposal on `today`, read a page at a time, in id order. */
export async function reviewsDueForDisposal(
  ports: Pick<DisposalPorts, 'store' | 'retentionYears'>,
  today: CivilDate,
): Promise<DueForDisposal[]> {
  const due: DueForDisposal[] = [];
  let afterId: string | undefined;
  for (;;) {
    const page = await ports.store.listReviewPage({ limit: 100, ...(afterId ? { afterId } : {}) });
    for (const review of page) {
      if (review.state !== 'closed' || review.disposal) continue;
      const status = disposalStatus(review, ports.retentionYears(review.profileId), today);
      if (status.due) {
        due.push({
          id: review.id,
          reference: review.reference,
          closedOn: status.closedOn,
          dueOn: status.dueOn,
        });
      }
    }
    if (page.length < 100) return due;
    afterId = page[page.length - 1]?.id;
  }
}

export interface DisposalOutcome {
  disposed: DueForDisposal[];
  refused: { reference: string; reason: string }[];
}

/**
 * Disposes of every review due on `today`: its report files first (removing a file twice is
 * harmless), then its content in one audited transaction. A review that stopped being due meanwhile
 * is refused and left as it is.
 */
export async function disposeDueReviews(
  ports: DisposalPorts,
  run: { today: CivilDate; actor: AuditEvent['actor']; at: Instant },
): Promise<DisposalOutcome> {
  const outcome: DisposalOutcome = { disposed: [], refused: [] };
  for (const due of await reviewsDueForDisposal(ports, run.today)) {
    const review = await ports.store.getReview(due.id);
    if (!review) continue;
    const retentionYears = ports.retentionYears(review.profileId);
    if (!disposalStatus(review, retentionYears, run.today).due) {
      outcome.refused.push({ reference: due.reference, reason: 'no longer due' });
      continue;
    }
    const reportFiles = await ports.removeReportFiles(review);
    const result = await ports.store.updateReview(due.id, (current) =>
      disposeReview(current, { ...run, retentionYears, reportFiles }),
    );
    if (result.ok) outcome.disposed.push(due);
    else outcome.refused.push({ reference: due.reference, reason: result.reason });
  }
  return outcome;
}
