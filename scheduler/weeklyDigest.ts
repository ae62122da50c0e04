/**
 * The business unit's weekly digest: every open review with its RAG, this week's deadlines and who
 * is late, from the same status views as the portfolio. By reference only: it is read in the
 * business unit's channel, outside any review's restricted channel.
 */
import type { PartnershipProfile } from '../review/profile';
import { isAlertTime } from './alerts';
import { addCalendarDays, civilDateInLondon, dayOfWeek, formatShortDate, type CivilDate } from './civilDate';
import { dueThisWeek, endOfWeek, notReturned } from './questionAnswers';
import { overdueMilestones, type Rag, type ReviewStatusView } from './reviewStatus';
import { calendarFor, type WorkingDayCalendar } from './workingDayCalendar';

export interface DigestRow {
  reference: string;
  rag: Rag;
  clock: string;
  thisWeek: string[];
  late: string[];
}

export interface WeeklyDigest {
  weekOf: CivilDate;
  until: CivilDate;
  rows: DigestRow[];
}

const ragOrder: Record<Rag, number> = { red: 0, amber: 1, green: 2 };

export function weeklyDigest(views: readonly ReviewStatusView[], today: CivilDate): WeeklyDigest {
  const rows = views
    .filter((view) => view.state !== 'closed')
    .map((view) => ({
      reference: view.reference,
      rag: view.rag,
      clock: view.clock.text,
      thisWeek: dueThisWeek(view).map((m) => `${m.label} ${formatShortDate(m.due as CivilDate)}`),
      late: [
        ...overdueMilestones(view).map((m) => `${m.label} (${m.summary})`),
        ...notReturned(view)
          .filter((r) => r.overdue)
          .map((r) => `${r.agencyName}: return not in`),
      ],
    }))
    .sort((a, b) => ragOrder[a.rag] - ragOrder[b.rag] || a.reference.localeCompare(b.reference));
  return { weekOf: today, until: endOfWeek(today), rows };
}

/** The digest as Markdown text for a Teams message. */
export function digestText(digest: WeeklyDigest): string {
  const head = `**Week of ${formatShortDate(digest.weekOf)}: ${digest.rows.length} open review${digest.rows.length === 1 ? '' : 's'}**`;
  if (digest.rows.length === 0) return `${head}\n\nNo open reviews.`;
  const lines = digest.rows.map((row) => {
    const parts = [`- **${row.reference}** · ${row.rag.toUpperCase()} · ${row.clock}`];
    parts.push(`  - This week: ${row.thisWeek.length > 0 ? row.thisWeek.join('; ') : 'nothing due'}`);
    if (row.late.length > 0) parts.push(`  - Late: ${row.late.join('; ')}`);
    return parts.join('\n');
  });
  return [head, '', ...lines].join('\n');
}

/** The Monday of the week `day` is in (weeks run Monday to Sunday). */
export function mondayOf(day: CivilDate): CivilDate {
  return addCalendarDays(day, -((dayOfWeek(day) + 6) % 7));
}

/**
 * The day the weekly digest is posted in `day`'s week: the Monday, or when that is a bank holiday
 * the next working day of the same week; null for a week with no working day at all.
 */
export function digestDayOfWeek(day: CivilDate, calendar: WorkingDayCalendar): CivilDate | null {
  const monday = mondayOf(day);
  for (let offset = 0; offset < 5; offset += 1) {
    const candidate = addCalendarDays(monday, offset);
    if (calendar.isWorkingDay(candidate)) return candidate;
  }
  return null;
}

/**
 * Whether `now` is the time for this week's digest: its posting day, at or after the profile's alert
 * hour. Answers the week's Monday (what makes the digest "this week's": one per week), or undefined.
 */
export function weeklyDigestDue(
  profile: PartnershipProfile,
  now: Date,
  calendar: WorkingDayCalendar = calendarFor(profile.calendar),
): CivilDate | undefined {
  const today = civilDateInLondon(now);
  if (!isAlertTime(profile, now, calendar) || digestDayOfWeek(today, calendar) !== today) return undefined;
  return mondayOf(today);
}
