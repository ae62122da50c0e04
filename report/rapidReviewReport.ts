/**
 * The Rapid Review report sent to the National Panel, as a Word document built from the review.
 *
 * The report leaves the partnership, so the child appears in it only under the review's pseudonym.
 * Structured subject data is never written, and because agencies type their scoping returns freely
 * (and often name the child and family), every free-text answer passes through a redaction that
 * replaces the child's and family members' names and the address before it reaches the document.
 * The redaction errs towards removing too much: a lost word costs less than a named child.
 */
import {
  AlignmentType,
  Document,
  Footer,
  Header,
  HeadingLevel,
  HighlightColor,
  Packer,
  PageNumber,
  Paragraph,
  Table,
  TableCell,
  TableRow,
  TextRun,
  WidthType,
} from 'docx';

import { civilDateInLondon, formatLongDate } from '../scheduler/civilDate';
import { computeTimeline, type Timeline } from '../scheduler/timeline';
import { referencePattern } from '../review/lifecycle';
import {
  agencyKindLabels,
  type Agency,
  type AgencyKind,
  type CivilDate,
  type Instant,
  outcomeAnswers,
  type ReportPartKey,
  type Review,
  type ReviewAnchors,
  type ScopingReturnAnswers,
} from '../review/model';
import type { PartnershipProfile } from '../review/profile';
import {
  lcsprLabels,
  nationalImportanceLabels,
  subjectRedaction,
  type RedactedField,
} from '../review/reportRules';

export interface RapidReviewReportOptions {
  generatedOn: CivilDate;
  /** The review's statutory timeline; computed from its anchors and the profile when not given. */
  timeline?: Timeline;
}

export interface RapidReviewReportFile {
  fileName: string;
  buffer: Buffer;
  /** How many of the subject's details were removed from free text, by field (never the values). */
  removed: Record<RedactedField, number>;
}

const TO_BE_COMPLETED =
  'TO BE COMPLETED by the partnership before this report is sent to the National Panel.';

function partSection(
  review: Review,
  key: ReportPartKey,
  title: string,
  guidance: string,
  redact: (text: string) => string,
): Paragraph[] {
  const text = review.reportParts?.[key]?.trim();
  return [
    heading(title, 1),
    ...(text
      ? paragraphs(redact(text))
      : [
          ...paragraphs(TO_BE_COMPLETED, { bold: true, highlight: true }),
          ...paragraphs(guidance, { highlight: true }),
        ]),
  ];
}

const anchorLabels: Record<keyof ReviewAnchors, string> = {
  aware: 'Local authority became aware of the incident',
  sinSent: 'Serious Incident Notification sent to the National Panel',
  referral: 'Referral to the partnership',
  scopingSent: 'Scoping requests sent to agencies',
  meetingHeld: 'Rapid Review meeting held',
  panelSubmitted: 'Report sent to the National Panel',
  panelResponse: 'National Panel response',
};

// Text runs in WordprocessingML may not hold C0 control characters other than tab and line breaks.
// eslint-disable-next-line no-control-regex
const CONTROL_CHARACTERS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F]/g;
const TABLE_WIDTH = 9026; // A4 width between the default margins, in twentieths of a point.

const londonTime = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/London',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});

function formatInstant(instant: Instant): string {
  const date = new Date(instant);
  if (Number.isNaN(date.getTime())) return instant;
  return `${formatLongDate(civilDateInLondon(date))}, ${londonTime.format(date)}`;
}

function formatDate(date: CivilDate | undefined | null): string {
  return date ? formatLongDate(date) : 'Not recorded';
}

function yesNo(value: boolean): string {
  return value ? 'Yes' : 'No';
}

function clean(text: string): string {
  return text.replace(CONTROL_CHARACTERS, '');
}

/** One paragraph per line, so line breaks typed into a card survive into the document. */
function paragraphs(text: string, options: { bold?: boolean; highlight?: boolean } = {}): Paragraph[] {
  const lines = clean(text).split(/\r?\n/);
  return lines.map(
    (line) =>
      new Paragraph({
        children: [
          new TextRun({
            text: line,
            ...(options.bold ? { bold: true } : {}),
            ...(options.highlight ? { highlight: HighlightColor.YELLOW } : {}),
          }),
        ],
      }),
  );
}

function heading(text: string, level: 1 | 2 | 3): Paragraph {
  const levels = { 1: HeadingLevel.HEADING_1, 2: HeadingLevel.HEADING_2, 3: HeadingLevel.HEADING_3 };
  return new Paragraph({ text: clean(text), heading: levels[level] });
}

function cell(text: string, width: number, bold = false): TableCell {
  return new TableCell({
    width: { size: width, type: WidthType.DXA },
    children: paragraphs(text, { bold }),
  });
}

function table(header: string[] | undefined, rows: string[][], widths: number[]): Table {
  const total = widths.reduce((a, b) => a + b, 0);
  const scaled = widths.map((w) => Math.floor((w / total) * TABLE_WIDTH));
  const toRow = (cells: string[], bold: boolean, isHeader = false) =>
    new TableRow({
      tableHeader: isHeader,
      children: cells.map((text, i) => cell(text, scaled[i], bold)),
    });
  return new Table({
    width: { size: TABLE_WIDTH, type: WidthType.DXA },
    columnWidths: scaled,
    rows: [...(header ? [toRow(header, true, true)] : []), ...rows.map((r) => toRow(r, false))],
  });
}

function keyValueTable(rows: [string, string][]): Table {
  return table(undefined, rows, [1, 2]);
}

function partnerLabel(profile: PartnershipProfile, kind: AgencyKind): string {
  return profile.statutoryPartners.find((p) => p.kind === kind)?.label ?? agencyKindLabels[kind];
}

function factsSection(
  review: Review,
  profile: PartnershipProfile,
  timeline: Timeline,
): (Paragraph | Table)[] {
  const anchorRows = (Object.keys(anchorLabels) as (keyof ReviewAnchors)[])
    .filter((key) => review.anchors[key])
    // In date order, so the page reads as the story of the review.
    .sort((a, b) => (review.anchors[a] as string).localeCompare(review.anchors[b] as string))
    .map((key): [string, string] => [anchorLabels[key], formatDate(review.anchors[key])]);
  const milestoneRows = timeline.milestones.map((m) => [
    m.label,
    m.due ? formatLongDate(m.due) : `Not yet known (${m.pending ?? 'anchor missing'})`,
    m.workingDay === null ? '' : String(m.workingDay),
    m.metOn ? formatLongDate(m.metOn) : '',
  ]);
  return [
    heading('1. The facts', 1),
    keyValueTable([
      ['Review reference', review.reference],
      ['The child is referred to as', review.pseudonym],
      ['Partnership', profile.name],
      ['Review group', profile.reviewGroupName],
    ]),
    heading('Key dates', 2),
    keyValueTable(anchorRows),
    heading('Statutory timeline', 2),
    ...paragraphs(
      `Working days are counted from ${timeline.clock.label}` +
        (timeline.clock.start ? ` (${formatLongDate(timeline.clock.start)}, day 0)` : ' (not yet recorded)') +
        `; the review is due to complete within ${timeline.clock.completionDays} working days.`,
    ),
    table(['Milestone', 'Due', 'Working day', 'Met on'], milestoneRows, [4, 3, 1, 3]),
  ];
}

function answerRows(answers: ScopingReturnAnswers, redact: (text: string) => string): [string, string][] {
  const text = (value: string | undefined) => (value?.trim() ? redact(value) : 'Not given');
  const period =
    answers.periodFrom || answers.periodTo
      ? `${formatDate(answers.periodFrom)} to ${formatDate(answers.periodTo)}`
      : 'Not given';
  const secured = answers.recordsSecured
    ? ['Yes', answers.recordsSecuredOn ? `on ${formatLongDate(answers.recordsSecuredOn)}` : '']
        .concat(answers.recordsSecuredBy?.trim() ? [`by ${redact(answers.recordsSecuredBy)}`] : [])
        .filter(Boolean)
        .join(', ')
    : 'No';
  return [
    [
      'Involvement with the child or family',
      answers.involvement === 'yes'
        ? `Yes${answers.involvementWith?.trim() ? `: ${redact(answers.involvementWith)}` : ''}`
        : 'No',
    ],
    ['Period of involvement', period],
    ['Nature of involvement', text(answers.natureOfInvolvement)],
    ['Key contacts and dates', text(answers.keyContacts)],
    ['Records secured', secured],
    ['“Subject to a Rapid Review” alert added', yesNo(answers.alertAdded)],
    ['Staff informed and supported', yesNo(answers.staffInformed)],
    ['Immediate actions taken', text(answers.immediateActions)],
    ['Immediate learning', text(answers.immediateLearning)],
    ['Key information of note', text(answers.keyInformation)],
    ['Senior leaders sighted', yesNo(answers.seniorLeadersSighted)],
  ];
}

function agencySection(review: Review, redact: (text: string) => string): (Paragraph | Table)[] {
  const out: (Paragraph | Table)[] = [heading('2. Agency involvement', 1)];
  for (const agency of review.agencies) {
    out.push(heading(`${redact(agency.name)} (${agencyKindLabels[agency.kind]})`, 2));
    const scopingReturn = review.scopingReturns.find((r) => r.agencyId === agency.id);
    if (!scopingReturn || scopingReturn.status !== 'submitted' || !scopingReturn.answers) {
      out.push(...paragraphs('No scoping return has been received from this agency.'));
      continue;
    }
    const submitted = [
      scopingReturn.submittedBy?.name,
      scopingReturn.submittedAt ? `on ${formatInstant(scopingReturn.submittedAt)}` : undefined,
      scopingReturn.revision > 1 ? `(revision ${scopingReturn.revision})` : undefined,
    ]
      .filter(Boolean)
      .join(' ');
    out.push(
      keyValueTable([
        ...answerRows(scopingReturn.answers, redact),
        ['Return submitted by', submitted || '—'],
      ]),
    );
  }
  return out;
}

function agencyName(review: Review, agencyId: string | undefined, redact: (text: string) => string): string {
  const agency: Agency | undefined = review.agencies.find((a) => a.id === agencyId);
  return agency ? redact(agency.name) : 'Not on the register';
}

function meetingSection(
  review: Review,
  profile: PartnershipProfile,
  redact: (text: string) => string,
): (Paragraph | Table)[] {
  const out: (Paragraph | Table)[] = [heading('3. The Rapid Review meeting and quorum', 1)];
  const meeting = review.meeting;
  if (!meeting) {
    out.push(...paragraphs('No meeting has been recorded.'));
  } else {
    out.push(
      keyValueTable([
        ['Meeting', `${formatInstant(meeting.start)} to ${londonTime.format(new Date(meeting.end))}`],
        ['Status', meeting.status],
        ['Chair', meeting.chair?.name ?? 'Not recorded'],
      ]),
    );
  }
  if (review.attendance && review.attendance.length > 0) {
    out.push(heading('Attendance', 2));
    const minimum = profile.meeting.minimumAttendanceMinutes;
    out.push(
      table(
        ['Name', 'Agency', 'Minutes present', 'Note'],
        review.attendance.map((entry) => [
          // Someone not on the register is not a known professional: their name is free text too.
          entry.agencyId ? entry.person.name : redact(entry.person.name),
          agencyName(review, entry.agencyId, redact),
          String(Math.round(entry.seconds / 60)),
          entry.belowMinimum ? `Partner present for less than ${minimum} minutes` : '',
        ]),
        [3, 4, 2, 3],
      ),
    );
  }
  out.push(heading('Quorum', 2));
  const decision = review.quorumDecision;
  if (!decision) {
    out.push(...paragraphs('The chair has not confirmed whether the meeting was quorate.'));
    return out;
  }
  out.push(
    ...paragraphs(
      `${decision.quorate ? 'The meeting was quorate' : 'The meeting was not quorate'}: confirmed by ` +
        `${decision.decidedBy.name} on ${formatInstant(decision.decidedAt)}. Quorum requires at least ` +
        `${profile.quorum.minimumPerPartner} representative(s) of each statutory safeguarding partner.`,
    ),
    table(
      ['Statutory partner', 'Represented by'],
      decision.present.map((p) => [partnerLabel(profile, p.agencyKind), p.people.join(', ') || 'No one']),
      [1, 2],
    ),
  );
  if (decision.missing.length > 0) {
    out.push(
      ...paragraphs(`Not represented: ${decision.missing.map((k) => partnerLabel(profile, k)).join(', ')}.`),
    );
  }
  return out;
}

function decisionSection(review: Review, redact: (text: string) => string): (Paragraph | Table)[] {
  const outcome = review.outcome;
  const out: (Paragraph | Table)[] = [heading('4. Decision', 1)];
  if (!outcome) {
    out.push(...paragraphs('No decision has been recorded yet.'));
  } else {
    const answers = outcomeAnswers(outcome);
    out.push(
      heading('Is a Local Child Safeguarding Practice Review needed?', 2),
      ...paragraphs(lcsprLabels[answers.lcspr], { bold: true }),
      heading('May the case raise issues of national importance?', 2),
      ...paragraphs(nationalImportanceLabels[answers.nationalImportance], { bold: true }),
      heading('Rationale', 2),
      ...paragraphs(redact(outcome.rationale)),
      ...paragraphs(`Recorded by ${outcome.recordedBy.name} on ${formatInstant(outcome.recordedAt)}.`),
    );
  }
  out.push(heading('5. Immediate safeguarding actions and learning', 1));
  if (!outcome) {
    out.push(...paragraphs('Not recorded yet.'));
    return out;
  }
  out.push(
    heading('Immediate safeguarding actions', 2),
    ...paragraphs(outcome.immediateActions.trim() ? redact(outcome.immediateActions) : 'None recorded.'),
    heading('Learning', 2),
    ...paragraphs(outcome.learning.trim() ? redact(outcome.learning) : 'None recorded.'),
  );
  return out;
}

function contextSection(review: Review, redact: (text: string) => string): Paragraph[] {
  return partSection(
    review,
    'childContext',
    '6. Context of the child’s and family’s lives',
    `Describe the context of ${review.pseudonym}’s and the family’s lives, including how racism and other ` +
      'inequalities related to protected characteristics (disability included) may have shaped their ' +
      'experience and the practice they received. Refer to the child only as ' +
      `${review.pseudonym} and do not name family members.`,
    redact,
  );
}

function signOffSection(review: Review, profile: PartnershipProfile): (Paragraph | Table)[] {
  return [
    heading('7. Sign-off and endorsement', 1),
    table(
      ['Statutory partner', 'Signed off by', 'When'],
      profile.statutoryPartners.map((partner) => {
        const signOff = review.signOffs.find((s) => s.agencyKind === partner.kind);
        return signOff
          ? [partner.label, signOff.by.name, formatInstant(signOff.at)]
          : [partner.label, 'Not yet signed off', ''];
      }),
      [1, 1, 1],
    ),
    ...paragraphs(
      review.endorsedOn
        ? `Endorsed by ${profile.endorsement.by} on ${formatLongDate(review.endorsedOn)}.`
        : `Not yet endorsed by ${profile.endorsement.by}.`,
    ),
  ];
}

/** The report's file name: the reference only, never anything about the child. */
export function rapidReviewReportFileName(reference: string): string {
  if (!referencePattern.test(reference)) {
    throw new Error(`reference: must look like RR-2026-003 (got '${reference.slice(0, 40)}')`);
  }
  return `${reference}-rapid-review-report.docx`;
}

export async function buildRapidReviewReport(
  review: Review,
  profile: PartnershipProfile,
  options: RapidReviewReportOptions,
): Promise<RapidReviewReportFile> {
  const fileName = rapidReviewReportFileName(review.reference);
  const redaction = subjectRedaction(review.subject, review.pseudonym);
  const redact = redaction.redact;
  const timeline =
    options.timeline ??
    computeTimeline(review.anchors, profile, {
      ...(review.scopingReturnDays === undefined ? {} : { scopingReturnDays: review.scopingReturnDays }),
    });
  const title = `Rapid Review report ${review.reference}`;
  const document = new Document({
    title,
    creator: profile.businessUnit.name,
    description: `Rapid Review report for ${review.reference}`,
    sections: [
      {
        headers: {
          default: new Header({
            children: [
              new Paragraph({
                alignment: AlignmentType.RIGHT,
                children: [
                  new TextRun({ text: `${review.reference} · Confidential: special category data` }),
                ],
              }),
            ],
          }),
        },
        footers: {
          default: new Footer({
            children: [
              new Paragraph({
                alignment: AlignmentType.CENTER,
                children: [
                  new TextRun({ children: ['Page ', PageNumber.CURRENT, ' of ', PageNumber.TOTAL_PAGES] }),
                ],
              }),
            ],
          }),
        },
        children: [
          new Paragraph({ text: title, heading: HeadingLevel.TITLE }),
          ...paragraphs(
            `${profile.name}. Prepared by the ${profile.businessUnit.name} on ${formatLongDate(options.generatedOn)}.`,
          ),
          ...factsSection(review, profile, timeline),
          ...partSection(
            review,
            'incidentSummary',
            'Summary of the incident',
            'Summarise the serious incident as far as the facts can readily be established.',
            redact,
          ),
          ...agencySection(review, redact),
          ...partSection(
            review,
            'practiceEpisodes',
            'Analysis of key practice episodes',
            'Analyse the key practice episodes identified from the agencies’ involvement.',
            redact,
          ),
          ...meetingSection(review, profile, redact),
          ...decisionSection(review, redact),
          ...contextSection(review, redact),
          ...signOffSection(review, profile),
        ],
      },
    ],
  });
  return { fileName, buffer: await Packer.toBuffer(document), removed: redaction.removed() };
}
