/**
 * Nudges: a 1:1 message to one person who owes the review something today — a representative whose
 * agency's scoping return is due tomorrow or overdue, a partner lead whose sign-off is awaited, the
 * chair on the day of the meeting. A pure function of (review, profile, day, calendar), like the
 * alerts beside it, and put through the same outbox, so each nudge is sent once, on a working day at
 * or after the profile's alert hour, and is withdrawn if the person has done the thing by the time it
 * would go.
 *
 * A nudge is read on a phone's lock screen: it names the review by reference only (not even the
 * pseudonym) and says what is due; the button opens the review's channel, where the detail is.
 */
import { agenciesAsked } from '../review/initialCaseDiscussion';
import { statutoryPartnerKinds, type Person, type Review } from '../review/model';
import type { PartnershipProfile } from '../review/profile';
import type { AlertKind, DueAlert } from './alerts';
import { firstAlertDay } from './alerts';
import { addCalendarDays, civilDateInLondon, formatShortDate, type CivilDate } from './civilDate';
import { reviewStatus } from './reviewStatus';
import { calendarFor, type WorkingDayCalendar } from './workingDayCalendar';

export const nudgeKinds = [
  'nudge:return-due-tomorrow',
  'nudge:return-overdue',
  'nudge:sign-off',
  'nudge:meeting-today',
] as const;
export type NudgeKind = (typeof nudgeKinds)[number] & AlertKind;

const nudgeKindSet: ReadonlySet<string> = new Set(nudgeKinds);

export function isNudgeKind(kind: string): kind is NudgeKind {
  return nudgeKindSet.has(kind);
}

/**
 * `${reviewId}:${kind}:${objectId}:${the deadline}`: the day the nudge goes is not in it, so a nudge
 * worked out again on a later day (an overdue return stays overdue) is the same row, sent once.
 */
export function nudgeKey(
  reviewId: string,
  kind: NudgeKind,
  aadObjectId: string,
  deadline: CivilDate,
): string {
  return `${reviewId}:${kind}:${aadObjectId.toLowerCase()}:${deadline}`;
}

/**
 * Teams' deep link to a channel (https://learn.microsoft.com/microsoftteams/platform/concepts/build-and-test/deep-link-teams):
 * /l/channel/{channel id}/{channel name}?groupId={team id}. Opens the review's channel for a member,
 * and says "not found" to anyone else, so it carries nothing a stranger could use.
 */
export function channelDeepLink(review: Review): string | undefined {
  const { teamId, channelId, channelName } = review.teamspace;
  if (!teamId || !channelId) return undefined;
  const name = encodeURIComponent(channelName ?? review.reference);
  return `https://teams.microsoft.com/l/channel/${encodeURIComponent(channelId)}/${name}?groupId=${encodeURIComponent(teamId)}`;
}

function nudge(
  review: Review,
  day: CivilDate,
  kind: NudgeKind,
  person: Person & { aadObjectId: string },
  deadline: CivilDate,
  text: string,
  link: string,
): DueAlert {
  return {
    key: nudgeKey(review.id, kind, person.aadObjectId, deadline),
    reviewId: review.id,
    reference: review.reference,
    kind,
    target: 'person',
    dueOn: day,
    text,
    mentions: [],
    recipient: { aadObjectId: person.aadObjectId, name: person.name },
    link: { title: `Open ${review.reference}`, url: link },
  };
}

/** People a nudge can reach: Teams installs the app for an Entra object id, so no id, no nudge. */
function reachable(people: readonly (Person | undefined)[]): (Person & { aadObjectId: string })[] {
  const seen = new Set<string>();
  const out: (Person & { aadObjectId: string })[] = [];
  for (const person of people) {
    const id = person?.aadObjectId?.toLowerCase();
    if (!person || !id || seen.has(id)) continue;
    seen.add(id);
    out.push({ ...person, aadObjectId: person.aadObjectId as string });
  }
  return out;
}

/**
 * The nudges a review owes on working day `day`, judged on the review as it stands: someone who has
 * returned, signed off or whose meeting has happened is owed nothing. Assumes `day` is a working day
 * and says nothing about the hour (the tick checks both, as for alerts).
 */
export function nudgesOn(
  review: Review,
  profile: PartnershipProfile,
  day: CivilDate,
  calendar: WorkingDayCalendar = calendarFor(profile.calendar),
): DueAlert[] {
  if (review.state === 'closed' || day < firstAlertDay(review)) return [];
  // Without its channel there is nowhere for the button to go (and nothing to return into yet).
  const link = channelDeepLink(review);
  if (!link) return [];
  const nudges: DueAlert[] = [];
  const { reference } = review;

  const due = reviewStatus(review, profile, day, calendar).milestones.find(
    (m) => m.key === 'scoping-returns-due',
  )?.due;
  if (due) {
    const n = calendar.workingDaysBetween(day, due);
    for (const agency of agenciesAsked(review)) {
      const returned = review.scopingReturns.find((r) => r.agencyId === agency.id)?.status === 'submitted';
      if (returned) continue;
      for (const rep of reachable(agency.representatives)) {
        if (n === 1) {
          const when = addCalendarDays(day, 1) === due ? 'tomorrow' : 'on the next working day';
          nudges.push(
            nudge(
              review,
              day,
              'nudge:return-due-tomorrow',
              rep,
              due,
              `${reference}: your agency's scoping return is due ${when}, ${formatShortDate(due)}.`,
              link,
            ),
          );
        } else if (n < 0) {
          nudges.push(
            nudge(
              review,
              day,
              'nudge:return-overdue',
              rep,
              due,
              `${reference}: your agency's scoping return is overdue (it was due ${formatShortDate(due)}).`,
              link,
            ),
          );
        }
      }
    }
  }

  if (review.state === 'decided' && review.outcome) {
    const decidedOn = civilDateInLondon(new Date(review.outcome.recordedAt));
    for (const kind of statutoryPartnerKinds) {
      if (review.signOffs.some((s) => s.agencyKind === kind)) continue;
      const leads = reachable(review.agencies.filter((a) => a.kind === kind).map((a) => a.lead));
      for (const lead of leads) {
        nudges.push(
          nudge(
            review,
            day,
            'nudge:sign-off',
            lead,
            decidedOn,
            `${reference}: the outcome is recorded and awaits your sign-off as partner lead.`,
            link,
          ),
        );
      }
    }
  }

  const meeting = review.meeting;
  if (meeting?.status === 'booked' && civilDateInLondon(new Date(meeting.start)) === day) {
    for (const chair of reachable([meeting.chair ?? review.chair])) {
      const time = new Date(meeting.start).toLocaleTimeString('en-GB', {
        timeZone: 'Europe/London',
        hour: '2-digit',
        minute: '2-digit',
      });
      nudges.push(
        nudge(
          review,
          day,
          'nudge:meeting-today',
          chair,
          day,
          `${reference}: you chair the review meeting today at ${time}.`,
          link,
        ),
      );
    }
  }
  return nudges;
}
