/**
 * Answers to the plain-words questions (review/questions.ts), from reviews' status views only: the
 * same facts the status card shows, so the two never disagree. Reviews are named by reference alone,
 * since an answer may be read outside the review's channel (a 1:1 chat, the business unit's channel).
 */
import type { QuestionKind } from '../review/questions';
import { addCalendarDays, dayOfWeek, formatShortDate, type CivilDate } from './civilDate';
import { overdueMilestones, type MilestoneStatus, type ReviewStatusView } from './reviewStatus';

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** The Sunday that ends the week `today` is in (Monday to Sunday, as the business unit plans). */
export function endOfWeek(today: CivilDate): CivilDate {
  return addCalendarDays(today, (7 - dayOfWeek(today)) % 7);
}

/** Milestones still to meet, due from today to Sunday. */
export function dueThisWeek(view: ReviewStatusView): MilestoneStatus[] {
  const sunday = endOfWeek(view.today);
  return view.milestones.filter((m) => m.state === 'due' && m.due !== null && m.due <= sunday);
}

/** Agencies whose return is not in, with whether it is past due. */
export function notReturned(view: ReviewStatusView): { agencyName: string; overdue: boolean }[] {
  return view.returns
    .filter((r) => r.status === 'requested')
    .map((r) => ({ agencyName: r.agencyName, overdue: r.overdue }));
}

function returnsLine(view: ReviewStatusView): string {
  const missing = notReturned(view);
  if (missing.length === 0) return 'every agency’s return is in';
  return `${plural(missing.length, 'return')} not in: ${missing.map((m) => m.agencyName).join(', ')}`;
}

function answerOne(kind: QuestionKind, view: ReviewStatusView): string {
  const ref = view.reference;
  if (view.state === 'closed') return `${ref} is closed.`;
  switch (kind) {
    case 'due-this-week': {
      const due = dueThisWeek(view);
      if (due.length === 0) {
        const next = view.next ? ` Next: ${view.next.label}, ${formatShortDate(view.next.due)}.` : '';
        return `Nothing is due on ${ref} this week.${next}`;
      }
      const lines = due.map((m) => `${m.label}: ${m.summary}`);
      const returns = due.some((m) => m.key === 'scoping-returns-due') ? ` (${returnsLine(view)})` : '';
      return `Due this week on ${ref}: ${lines.join('; ')}${returns}.`;
    }
    case 'not-returned': {
      const missing = notReturned(view);
      if (missing.length === 0) return `Every agency has returned on ${ref}.`;
      const names = missing.map((m) => `${m.agencyName}${m.overdue ? ' (overdue)' : ''}`);
      const due = view.returns.find((r) => r.due)?.due;
      const when = due ? `, due ${formatShortDate(due)}` : '';
      return `Not returned on ${ref}${when}: ${names.join(', ')}.`;
    }
    case 'meeting-when': {
      const meeting = view.meeting;
      if (meeting && meeting.status !== 'cancelled') {
        const start = new Date(meeting.start);
        const time = start.toLocaleTimeString('en-GB', {
          timeZone: 'Europe/London',
          hour: '2-digit',
          minute: '2-digit',
        });
        const day = start.toLocaleDateString('en-GB', {
          timeZone: 'Europe/London',
          weekday: 'short',
          day: 'numeric',
          month: 'short',
        });
        const how = { proposed: 'is proposed for', booked: 'is booked for', held: 'was held on' }[
          meeting.status
        ];
        return `The ${ref} meeting ${how} ${day} at ${time}.`;
      }
      const opens = view.milestones.find((m) => m.key === 'meeting-window-opens');
      const closes = view.milestones.find((m) => m.key === 'meeting-window-closes');
      const window =
        opens?.due && closes?.due
          ? ` Its window is ${formatShortDate(opens.due)} to ${formatShortDate(closes.due)}.`
          : '';
      const cancelled = meeting?.status === 'cancelled' ? ' (the last one was cancelled)' : '';
      return `No meeting is booked for ${ref} yet${cancelled}.${window}`;
    }
    case 'overdue': {
      const late = overdueMilestones(view).map((m) => `${m.label} (${m.summary})`);
      const returns = view.returns.filter((r) => r.overdue).map((r) => r.agencyName);
      if (late.length === 0 && returns.length === 0) return `Nothing is overdue on ${ref}.`;
      const parts = [...late];
      if (returns.length > 0) parts.push(`returns not in from ${returns.join(', ')}`);
      return `Overdue on ${ref}: ${parts.join('; ')}.`;
    }
    case 'days-left': {
      const complete = view.milestones.find((m) => m.key === 'review-complete');
      if (view.clock.workingDay === null || !complete?.due)
        return `${ref}: the clock has ${view.clock.text}${view.missingClockAnchor ? ` (${view.missingClockAnchor})` : ''}.`;
      const left =
        complete.state === 'overdue'
          ? `the review was due ${formatShortDate(complete.due)}: ${complete.summary}`
          : complete.state === 'done'
            ? 'the review is complete'
            : `${plural(complete.workingDaysLeft ?? 0, 'working day')} left until ${formatShortDate(complete.due)}`;
      const next =
        view.next && view.next.key !== 'review-complete'
          ? `; next: ${view.next.label} in ${plural(view.next.workingDaysLeft, 'working day')}`
          : '';
      return `${ref} is on ${view.clock.text}: ${left}${next}.`;
    }
  }
}

/** The answer over one review or several (the business unit's portfolio), one line per review. */
export function answerQuestion(kind: QuestionKind, views: readonly ReviewStatusView[]): string {
  if (views.length === 0) return 'There are no open reviews.';
  if (views.length === 1) return answerOne(kind, views[0]);
  const relevant = views.filter((view) => {
    switch (kind) {
      case 'due-this-week':
        return dueThisWeek(view).length > 0;
      case 'not-returned':
        return notReturned(view).length > 0;
      case 'overdue':
        return overdueMilestones(view).length > 0 || view.returns.some((r) => r.overdue);
      default:
        return true;
    }
  });
  if (relevant.length === 0) {
    const none = {
      'due-this-week': 'Nothing is due this week on any open review.',
      'not-returned': 'Every agency has returned on every open review.',
      overdue: 'Nothing is overdue on any open review.',
      'meeting-when': '',
      'days-left': '',
    }[kind];
    return none;
  }
  return relevant.map((view) => `- ${answerOne(kind, view)}`).join('\n');
}
