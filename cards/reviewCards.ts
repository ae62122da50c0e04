/**
 * Cards about a whole review: the welcome card in its restricted channel (the only card that shows
 * the subject's details alongside the agencies), the status card and the business unit's portfolio.
 *
 * The status and portfolio cards are bound from the scheduler's view models, which carry no subject
 * data, so they are safe wherever they are shown.
 */
import { agencyKindLabels, type Review } from '../review/model';
import type { PartnershipProfile } from '../review/profile';
import type { CivilDate } from '../scheduler/civilDate';
import {
  amberWithinWorkingDays,
  reviewStatus,
  type MilestoneStatus,
  type PortfolioRow,
  type Rag,
  type ReviewStatusView,
} from '../scheduler/reviewStatus';
import type { WorkingDayCalendar } from '../scheduler/workingDayCalendar';
import { bindTemplate, type AdaptiveCard } from './cardTemplate';
import { formatDate, formatInstant, formatTimeRange, reviewStateLabels } from './cardText';
import { escapeMarkdown as md } from './markdown';
import portfolioTemplate from './templates/portfolio.json';
import statusTemplate from './templates/review-status.json';
import welcomeTemplate from './templates/welcome.json';

const ragDisplay: Record<Rag, { label: string; color: string; style: string }> = {
  red: { label: 'Red: overdue', color: 'Attention', style: 'attention' },
  amber: {
    label: `Amber: a deadline within ${amberWithinWorkingDays} working days`,
    color: 'Warning',
    style: 'warning',
  },
  green: { label: 'Green: on track', color: 'Good', style: 'good' },
};

function milestoneColor(m: MilestoneStatus): string {
  if (m.state === 'done') return 'Good';
  if (m.state === 'overdue') return 'Attention';
  if (m.state === 'due' && m.isDeadline && (m.workingDaysLeft ?? Infinity) <= amberWithinWorkingDays) {
    return 'Warning';
  }
  return 'Default';
}

function clockLine(view: ReviewStatusView): string {
  const { clock } = view;
  if (clock.start === null) return `Clock ${clock.text}`;
  return `Clock: ${clock.text}, counted from ${clock.label} (${formatDate(clock.start)})`;
}

/** Posted first in the review's restricted channel: who is involved, about whom, and the timeline. */
export function welcomeCard(
  review: Review,
  profile: PartnershipProfile,
  today: CivilDate,
  calendar?: WorkingDayCalendar,
): AdaptiveCard {
  const view = reviewStatus(review, profile, today, calendar);
  const subject = review.subject;
  // Everything people typed is shown as typed: Markdown in it is escaped (cards/markdown.ts).
  return bindTemplate(welcomeTemplate, {
    reference: review.reference,
    pseudonym: md(review.pseudonym),
    openedOn: formatInstant(review.openedAt),
    openedBy: md(review.openedBy.name),
    profileName: profile.name,
    subject: {
      childName: md(subject.childName),
      dateOfBirth: subject.dateOfBirth ? formatDate(subject.dateOfBirth) : 'not known',
      address: subject.address ? md(subject.address) : 'not known',
      familyMembers: subject.familyMembers.map((f) => ({
        name: md(f.name),
        relationship: md(f.relationship),
      })),
    },
    agencies: review.agencies.map((agency) => ({
      name: md(agency.name),
      kindLabel: agencyKindLabels[agency.kind],
      people: [
        `Representatives: ${agency.representatives.map((r) => md(r.name)).join(', ') || 'none named yet'}`,
        ...(agency.lead ? [`partner lead: ${md(agency.lead.name)}`] : []),
      ].join('; '),
    })),
    clockText: clockLine(view),
    milestones: view.milestones.map((m) => ({ label: m.label, summary: m.summary })),
  });
}

/** A review's status: RAG, the clock, every milestone, every agency's return and what is next. */
export function reviewStatusCard(view: ReviewStatusView): AdaptiveCard {
  const clockFacts = [{ title: 'Clock', value: clockLine(view).replace(/^Clock:? /, '') }];
  if (view.missingClockAnchor) clockFacts.unshift({ title: 'Warning', value: view.missingClockAnchor });
  if (view.scopingWaits) clockFacts.unshift({ title: 'Waiting', value: view.scopingWaits });
  if (view.clock.referral) {
    clockFacts.push({
      title: 'Referral',
      value: `${view.clock.referral.text} (${formatDate(view.clock.referral.start)})`,
    });
  }
  if (view.meeting && view.meeting.status !== 'cancelled') {
    const label = { proposed: 'Proposed', booked: 'Booked', held: 'Held' }[view.meeting.status];
    clockFacts.push({
      title: 'Meeting',
      value:
        `${label}: ${formatTimeRange(view.meeting.start, view.meeting.end)}` +
        (view.meeting.lateAfter
          ? ` (late: reconvened after the meeting window closed ${formatDate(view.meeting.lateAfter)})`
          : ''),
    });
  }
  const submitted = view.returns.filter((r) => r.status === 'submitted').length;
  return bindTemplate(statusTemplate, {
    reference: view.reference,
    pseudonym: view.pseudonym,
    stateLabel: reviewStateLabels[view.state],
    todayText: formatDate(view.today),
    rag: ragDisplay[view.rag],
    nextText: view.next
      ? `Next: ${view.next.label}, ${
          view.milestones.find((m) => m.key === view.next?.key)?.summary ?? formatDate(view.next.due)
        }`
      : 'Nothing else is due on the timeline.',
    clockFacts,
    milestones: view.milestones.map((m) => ({
      label: m.label,
      summary: m.summary,
      color: milestoneColor(m),
    })),
    returnsHeading: `Scoping returns: ${submitted} of ${view.returns.length} in`,
    returns: view.returns.map((r) => ({
      agency: r.agencyName,
      summary: r.summary,
      color:
        r.needsAttention.length > 0
          ? 'Warning'
          : r.status === 'submitted'
            ? 'Good'
            : r.overdue
              ? 'Attention'
              : 'Default',
    })),
  });
}

const ragOrder: Record<Rag, number> = { red: 0, amber: 1, green: 2 };

export interface PortfolioOptions {
  today: CivilDate;
  partnershipName: string;
}

/** Every open review on one card, most urgent first: reference and pseudonym only. */
export function portfolioCard(rows: PortfolioRow[], options: PortfolioOptions): AdaptiveCard {
  const sorted = [...rows].sort(
    (a, b) =>
      ragOrder[a.rag] - ragOrder[b.rag] ||
      (a.next?.due ?? '9999').localeCompare(b.next?.due ?? '9999') ||
      a.reference.localeCompare(b.reference),
  );
  const counts = (['red', 'amber', 'green'] as const).map(
    (rag) => `${rows.filter((r) => r.rag === rag).length} ${rag}`,
  );
  return bindTemplate(portfolioTemplate, {
    heading: `Open Rapid Reviews: ${options.partnershipName}`,
    subheading: `${rows.length} open · ${counts.join(', ')} · as of ${formatDate(options.today)}`,
    rows: sorted.map((row) => ({
      ragLabel: row.rag.toUpperCase(),
      ragColor: ragDisplay[row.rag].color,
      reference: row.reference,
      pseudonym: row.pseudonym,
      stateLine: [
        reviewStateLabels[row.state],
        row.clockText,
        `returns ${row.returns.submitted} of ${row.returns.total}`,
      ].join(' · '),
      nextText: row.next
        ? `Next: ${row.next.label}, ${formatDate(row.next.due)} (${
            row.next.workingDaysLeft === 0
              ? 'today'
              : `in ${row.next.workingDaysLeft} working day${row.next.workingDaysLeft === 1 ? '' : 's'}`
          })`
        : 'Nothing else is due on the timeline.',
      overdueText: [
        ...(row.missingClockAnchor ? [row.missingClockAnchor] : []),
        ...(row.scopingWaits ? ['Scoping requests wait for the Initial Case Discussion'] : []),
        ...(row.overdue.length > 0 ? [`Overdue: ${row.overdue.join('; ')}`] : []),
      ].join(' · '),
    })),
  });
}
