/**
 * The Rapid Review domain: what a review is made of. Plain data, so that the store can keep a review
 * as one document and every change is a pure function of (review, command) — see lifecycle.ts.
 */

/** A civil date in Europe/London, 'YYYY-MM-DD'. */
export type CivilDate = string;

/** An instant, ISO 8601 in UTC (e.g. '2026-12-01T10:00:00.000Z'). */
export type Instant = string;

export const agencyKinds = [
  'local-authority',
  'police',
  'icb',
  'health-provider',
  'education',
  'probation',
  'other',
] as const;
export type AgencyKind = (typeof agencyKinds)[number];

export const agencyKindLabels: Record<AgencyKind, string> = {
  'local-authority': 'Local authority',
  police: 'Police',
  icb: 'Integrated Care Board',
  'health-provider': 'Health provider',
  education: 'Education',
  probation: 'Probation',
  other: 'Other',
};

/** A person in Teams. `aadObjectId` is the stable key; email is the fallback for matching. */
export interface Person {
  aadObjectId?: string;
  email?: string;
  name: string;
}

export interface Agency {
  /** Short stable id within the review, e.g. 'police' or 'acme-school'. */
  id: string;
  name: string;
  kind: AgencyKind;
  representatives: Person[];
  /** The safeguarding partner lead who signs off the outcome (statutory partners only). */
  lead?: Person;
}

/**
 * What agencies need to search their records. Restricted: shown only inside the review's own
 * channel, never in channel names, alerts, logs, the portfolio or file names.
 */
export interface Subject {
  childName: string;
  dateOfBirth?: CivilDate;
  address?: string;
  familyMembers: { name: string; relationship: string }[];
}

/** Every anchor date the review has been given; each clock says which one it runs from. */
export interface ReviewAnchors {
  aware?: CivilDate;
  sinSent?: CivilDate;
  referral: CivilDate;
  scopingSent?: CivilDate;
  meetingHeld?: CivilDate;
  panelSubmitted?: CivilDate;
  panelResponse?: CivilDate;
}

export const involvementValues = ['yes', 'no'] as const;
export type Involvement = (typeof involvementValues)[number];

/** One agency's answer to the Initial Scoping and Information Sharing request. */
export interface ScopingReturnAnswers {
  involvement: Involvement;
  involvementWith?: string;
  periodFrom?: CivilDate;
  periodTo?: CivilDate;
  natureOfInvolvement?: string;
  keyContacts?: string;
  recordsSecured: boolean;
  recordsSecuredOn?: CivilDate;
  recordsSecuredBy?: string;
  alertAdded: boolean;
  staffInformed: boolean;
  immediateActions?: string;
  immediateLearning?: string;
  keyInformation?: string;
  seniorLeadersSighted: boolean;
}

export interface ScopingReturn {
  agencyId: string;
  status: 'requested' | 'submitted';
  answers?: ScopingReturnAnswers;
  submittedBy?: Person;
  submittedAt?: Instant;
  /** How many times it has been submitted (1 = first return, 2+ = edits). */
  revision: number;
}

/** One person's stay in the review meeting, from the meeting chat's join and leave events. */
export interface LiveStay {
  person: Person;
  join: Instant;
  /** Absent while the person is still in the meeting. */
  leave?: Instant;
}

/**
 * Who is in the meeting now is the stays without a leave (at most one per person), so it is worked
 * out from the history rather than kept twice. Documents written by older releases also hold a
 * `present` record; it is ignored and dropped at the next event.
 */
export interface LiveAttendanceState {
  /** Every stay in the meeting, in the order people joined. */
  history: LiveStay[];
}

export interface Meeting {
  status: 'proposed' | 'booked' | 'cancelled' | 'held';
  start: Instant;
  end: Instant;
  organizer?: string;
  /** Sent to Graph so a retried booking never creates a second event. */
  transactionId: string;
  eventId?: string;
  joinUrl?: string;
  onlineMeetingId?: string;
  chatId?: string;
  /** The chair of the review group, the only person who may confirm quorum. */
  chair?: Person;
  /**
   * Booked after the statutory window closed, which only a reconvened meeting may be: when the
   * window closed, and which reconvening (its reason is kept, sealed, in `reconvenings`).
   */
  late?: { windowClosedOn: CivilDate; reconvenedAt: Instant };
  /** Why the business unit cancelled it: free text, sealed at rest, never in the audit line. */
  cancellationReason?: string;
  /**
   * Who is in the meeting now, from the meeting chat's join/leave events. Kept with the review because
   * each event is its own turn (and may reach another instance); the report comes only after the end.
   */
  live?: LiveAttendanceState;
}

export interface AttendanceEntry {
  person: Person;
  agencyId?: string;
  seconds: number;
  /** True when this partner was present for less than the profile's minimum. */
  belowMinimum?: boolean;
}

export interface QuorumDecision {
  quorate: boolean;
  decidedBy: Person;
  decidedAt: Instant;
  present: { agencyKind: AgencyKind; people: string[] }[];
  missing: AgencyKind[];
}

export const outcomeDecisions = [
  'national-review',
  'lcspr',
  'other-learning-review',
  'no-further-review',
] as const;
export type OutcomeDecision = (typeof outcomeDecisions)[number];

/** Question 1: is a Local Child Safeguarding Practice Review needed (or another form of learning review)? */
export const lcsprAnswers = ['yes', 'no', 'other-learning-review', 'no-further-review'] as const;
export type LcsprAnswer = (typeof lcsprAnswers)[number];

/** Question 2: may the case raise issues of national importance? */
export const nationalImportanceAnswers = ['yes', 'no'] as const;
export type NationalImportanceAnswer = (typeof nationalImportanceAnswers)[number];

export interface Outcome {
  /** Is an LCSPR needed? Recorded apart from national importance (Working Together asks both). */
  lcspr?: LcsprAnswer;
  /** May the case raise issues of national importance? */
  nationalImportance?: NationalImportanceAnswer;
  /** The single choice of outcomes recorded before the two questions; read through outcomeAnswers. */
  decision?: OutcomeDecision;
  rationale: string;
  immediateActions: string;
  learning: string;
  recordedBy: Person;
  recordedAt: Instant;
}

/** The two questions of an outcome, also for one recorded as a single choice before they existed. */
export function outcomeAnswers(outcome: Outcome): {
  lcspr: LcsprAnswer;
  nationalImportance: NationalImportanceAnswer;
} {
  const legacy = outcome.decision;
  const lcspr: LcsprAnswer =
    outcome.lcspr ??
    (legacy === 'lcspr'
      ? 'yes'
      : legacy === 'other-learning-review' || legacy === 'no-further-review'
        ? legacy
        : 'no');
  const nationalImportance = outcome.nationalImportance ?? (legacy === 'national-review' ? 'yes' : 'no');
  return { lcspr, nationalImportance };
}

/** The parts of the Panel's report that only people can write; it is not sent while one is missing. */
export const reportPartKeys = ['incidentSummary', 'practiceEpisodes', 'childContext'] as const;
export type ReportPartKey = (typeof reportPartKeys)[number];
export type ReportParts = Partial<Record<ReportPartKey, string>>;

/** The report as written by the bot (a draft until every required part is in). */
export interface WrittenReport {
  file: string;
  writtenAt: Instant;
  /** Required parts missing when it was written: such a report may not be sent. */
  missing: string[];
}

/** A person said the report went to the National Panel: only then is it recorded as sent. */
export interface ReportSending {
  by: Person;
  at: Instant;
  on: CivilDate;
  file: string;
}

export const panelAnswers = ['agrees', 'more-information', 'national-review'] as const;
export type PanelAnswer = (typeof panelAnswers)[number];

export interface PanelResponse {
  on: CivilDate;
  answer: PanelAnswer;
  recordedBy: Person;
  recordedAt: Instant;
}

/** North Yorkshire's post Rapid Review meeting, with its agenda. */
export interface PostReviewMeeting {
  heldOn: CivilDate;
  panelResponse: string;
  nextSteps: string;
  parentalEngagement: string;
  recordedBy: Person;
  recordedAt: Instant;
}

/** A meeting reconvened after one that decided nothing (e.g. not quorate), with why and whether late. */
export interface Reconvening {
  reason: string;
  by: Person;
  at: Instant;
  /** The earlier meeting's date, kept here because the anchor is cleared for the new meeting. */
  previousMeetingOn?: CivilDate;
}

/**
 * The Initial Case Discussion (North Yorkshire): before any scoping request goes out, the review group
 * agrees the key lines of enquiry (KLOE) and which agencies to ask; the requests ("Form 2") carry them.
 */
export interface InitialCaseDiscussion {
  heldOn: CivilDate;
  linesOfEnquiry: string[];
  /** The review's agencies asked for information, by id; only they get a scoping request. */
  agencyIds: string[];
  recordedBy: Person;
  recordedAt: Instant;
}

/** A scoping return's concerns flagged to the business unit, recorded only after the post succeeded. */
export interface ScopingFlag {
  agencyId: string;
  concerns: string[];
  revision: number;
  at: Instant;
}

export const noticeEvents = ['start', 'outcome', 'panel-response'] as const;
export type NoticeEvent = (typeof noticeEvents)[number];

/** A notice to a role the profile names, recorded only after its post succeeded. */
export interface NoticeSent {
  event: NoticeEvent;
  role: string;
  at: Instant;
  /** Posted in the role's own channel, or in the business unit's channel for it to pass on. */
  via?: 'role-channel' | 'business-unit-channel';
}

export interface SignOff {
  agencyKind: AgencyKind;
  by: Person;
  at: Instant;
}

/** An agency's scoping-request card: the thread it starts in the review channel. */
export interface ScopingCardThread {
  agencyId: string;
  conversationReference: unknown;
  activityId: string;
}

/** A channel member's Teams user id ('29:…'), by the key the review knows them by (object id or email). */
export interface TeamsUserId {
  memberKey: string;
  teamsUserId: string;
}

/** Where the review lives in Teams; filled step by step so a restart resumes, never duplicates. */
export interface ReviewTeamspace {
  /** Everyone named on the review has been found in the directory (their object ids recorded). */
  peopleResolved?: boolean;
  /** The review's people were added to the team (a private channel takes only team members). */
  teamMembersAdded?: boolean;
  teamId?: string;
  channelId?: string;
  channelName?: string;
  /** When the bot enabled its app in the channel; Teams then tells the bot it was added. */
  appEnabledAt?: Instant;
  /** Teams said the bot is in the channel: only now may it post there. */
  appInstalled?: boolean;
  /** Why set-up is stopped, in words for the business unit (no subject data), until it moves again. */
  setupBlocked?: string;
  membersAdded: string[];
  /** Serialised Bot Framework conversation reference of the channel thread. */
  conversationReference?: unknown;
  welcomeActivityId?: string;
  /** Each agency's scoping-request card (its own thread), one per agency, so it can be updated. */
  scopingCards: ScopingCardThread[];
  /** Teams user ids ('29:…') of the channel's members, one per member key. */
  teamsUserIds?: TeamsUserId[];
  /**
   * The card being posted ('welcome', 'scoping:<agency id>'), recorded before the post and cleared with
   * its activity id: still set on resume, the post may have landed, and Teams is asked before posting.
   */
  postInFlight?: string;
  /** Where the review was opened from (a 1:1 chat or the business unit's channel), for replies. */
  originReference?: unknown;
  /**
   * Set-up is finished (recorded with "scoping sent") and the place the review was opened from is
   * still to be told it is ready; cleared once told, so a crash or a Teams failure in between is told
   * by the next upkeep rather than never.
   */
  readyOwed?: boolean;
}

export const reviewStates = [
  'opened',
  'scoping',
  'meeting-booked',
  'meeting-held',
  'decided',
  'signed-off',
  'submitted-to-panel',
  'panel-responded',
  'closed',
] as const;
export type ReviewState = (typeof reviewStates)[number];

export interface Review {
  id: string;
  /** The chair chosen for this review when it was opened (else the partnership's chair setting). */
  chair?: Person;
  /** e.g. 'RR-2026-003'. Never holds a name: it is what every non-restricted place shows. */
  reference: string;
  /** How the child is named outside the restricted channel, e.g. 'Child A'. */
  pseudonym: string;
  profileId: string;
  state: ReviewState;
  anchors: ReviewAnchors;
  /** Per-review scoping-return timescale, where the profile lets the business unit agree one. */
  scopingReturnDays?: number;
  /** The period agencies search their records for, where the profile agrees one per review. */
  scopingPeriod?: { from: CivilDate; to: CivilDate };
  /** Where the profile holds one, recorded before the scoping requests go out. */
  initialCaseDiscussion?: InitialCaseDiscussion;
  subject: Subject;
  agencies: Agency[];
  scopingReturns: ScopingReturn[];
  meeting?: Meeting;
  attendance?: AttendanceEntry[];
  quorumDecision?: QuorumDecision;
  outcome?: Outcome;
  signOffs: SignOff[];
  endorsedOn?: CivilDate;
  panelReportFile?: string;
  /** The three parts of the report people write: incident summary, practice episodes, context. */
  reportParts?: ReportParts;
  report?: WrittenReport;
  /** Every time a person said the report (or more information) went to the Panel. */
  reportSendings?: ReportSending[];
  panelResponses?: PanelResponse[];
  postReviewMeeting?: PostReviewMeeting;
  reconvenings?: Reconvening[];
  notices?: NoticeSent[];
  /** Scoping returns flagged to the business unit (records not secured, no alert). */
  scopingFlags?: ScopingFlag[];
  closure?: { reason: string; by: Person; at: Instant; fromState: ReviewState };
  /** Set when the review's content was disposed of after the retention period (review/disposal.ts). */
  disposal?: ReviewDisposal;
  teamspace: ReviewTeamspace;
  openedBy: Person;
  openedAt: Instant;
  /** Optimistic-concurrency counter: bumped by the store on every saved change. */
  version: number;
}

/** What is left to say about a disposal: when, by whom, under which retention period. */
export interface ReviewDisposal {
  at: Instant;
  by: Person | { system: string };
  retentionYears: number;
  dueOn: CivilDate;
  /** Report files removed from the reports folder with it. */
  reportFiles: number;
}

/** One append-only audit line. `detail` never holds subject data. */
export interface AuditEvent {
  reviewId: string;
  at: Instant;
  actor: Person | { system: string };
  action: string;
  detail?: Record<string, unknown>;
}

/** Statutory safeguarding partners, by agency kind. */
export const statutoryPartnerKinds: AgencyKind[] = ['local-authority', 'police', 'icb'];
