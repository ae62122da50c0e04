/**
 * Booking the Rapid Review meeting: a time inside the statutory window (working days 7 to 13 of the
 * referral, by the profile) when at least one representative of each statutory partner, the chair
 * and the business unit officer are free, read from free/busy because findMeetingTimes is not open to
 * an application. The business unit accepts the proposal or picks another time; the bot then creates
 * the event with a Teams link in the organiser's calendar (not a channel meeting: those have no
 * attendance report), posts it in the review channel and joins the meeting chat for the live quorum.
 *
 * The booking attempt, with its transactionId, is saved before the event is created, so a retried
 * or crashed attempt reuses the id and Graph returns the same event instead of a second one.
 */
import { z } from 'zod';
import { formatDate } from '../../cards/cardText';
import { meetingCard, noSlotCard, slotProposalCard } from '../../cards/meetingCards';
import { bookMeeting, cancelMeeting, type Actor } from '../../review/lifecycle';
import type { Meeting, Person, Review } from '../../review/model';
import type { PartnershipProfile } from '../../review/profile';
import { addCalendarDays, civilDateInLondon } from '../../scheduler/civilDate';
import {
  findMeetingSlots,
  londonWallClockToInstant,
  type MeetingSlot,
  type SlotRequirement,
  type SlotSearchResult,
} from '../../scheduler/slotFinder';
import {
  bookingWindow,
  lateBooking,
  meetingAttendees,
  slotProblem,
  slotRequirements,
  type MeetingWindow,
} from '../../review/meetingRules';
import { statutoryMeetingWindow } from '../../scheduler/timeline';
import { calendarFor } from '../../scheduler/workingDayCalendar';
import type { CardReply } from './replies';
import type { FlowDeps } from './deps';
import { noticeMessage, noticeReply, postInReviewChannel } from './meetingChannel';
import { clearMeetingSession, proposeMeeting, recordOnlineMeeting } from '../../review/meetingLifecycle';

export { meetingAttendees };
import { refusalReply } from './presenters';

/** How many other times the proposal offers besides the earliest. */
export const alternativeSlots = 4;

type Card = Record<string, unknown>;

function profileOf(deps: FlowDeps, review: Review): PartnershipProfile {
  return deps.profiles.get(review.profileId);
}

/** The chair of this review's meeting: the one already booked, else the one chosen at opening, else the partnership's. */
export function chairOf(deps: FlowDeps, review: Review): Person | undefined {
  return review.meeting?.chair ?? review.chair ?? deps.settings.chair;
}

/** The earliest slot, then the first slot of each later day, filled up with the next slots. */
export function pickAlternatives(slots: MeetingSlot[], count = alternativeSlots): MeetingSlot[] {
  const rest = slots.slice(1);
  const days = new Set<string>([civilDateInLondon(new Date(slots[0]?.start ?? 0))]);
  const chosen: MeetingSlot[] = [];
  for (const slot of rest) {
    const day = civilDateInLondon(new Date(slot.start));
    if (days.has(day)) continue;
    days.add(day);
    chosen.push(slot);
    if (chosen.length === count) return chosen;
  }
  for (const slot of rest) {
    if (chosen.length === count) break;
    if (!chosen.includes(slot)) chosen.push(slot);
  }
  return chosen.sort((a, b) => a.start.localeCompare(b.start));
}

function organizerOf(deps: FlowDeps, review: Review, actor?: Actor): string | undefined {
  return (
    review.meeting?.organizer ??
    deps.settings.meetingOrganizer ??
    review.openedBy.email ??
    actor?.person.email
  );
}

interface SearchInput {
  review: Review;
  profile: PartnershipProfile;
  chair: Person;
  organizer: string;
  window: MeetingWindow;
  /** Restrict the search to one day (to re-check a chosen time). */
  day?: string;
}

type SearchOutcome =
  | { kind: 'refused'; reason: string }
  | { kind: 'searched'; result: SlotSearchResult; requirements: SlotRequirement[] };

async function searchSlots(deps: FlowDeps, input: SearchInput): Promise<SearchOutcome> {
  const { review, profile, chair, organizer } = input;
  const { requirements, gaps } = slotRequirements(review, profile, chair);
  if (gaps.length > 0) {
    return {
      kind: 'refused',
      reason:
        `no representative with an email address is registered for ${gaps.join(', ')}. ` +
        'The meeting is quorate only with each statutory partner present.',
    };
  }
  const window = input.day ? { from: input.day, to: input.day } : input.window;
  const emails = [...new Set(requirements.flatMap((r) => r.anyOf.map((p) => p.email.toLowerCase())))];
  const now = deps.clock.now();
  const rangeStart = londonWallClockToInstant(window.from, 0);
  const from = rangeStart < now ? now : rangeStart;
  const to = londonWallClockToInstant(addCalendarDays(window.to, 1), 0);
  if (to <= from) {
    return { kind: 'refused', reason: 'every working time in the meeting window has already passed' };
  }
  let schedules;
  try {
    schedules = await deps.teamspace.getSchedules(organizer, emails, from.toISOString(), to.toISOString());
  } catch (error) {
    // Said plainly to whoever asked, rather than failing their turn; nothing was booked or saved.
    deps.log.warn(
      { review: input.review.reference, err: { message: (error as Error).message } },
      'free/busy not read',
    );
    return {
      kind: 'refused',
      reason:
        'the calendars could not be read just now (Microsoft Graph did not answer); try again in a few minutes',
    };
  }
  const result = findMeetingSlots({
    window,
    lengthMinutes: profile.meeting.lengthMinutes,
    workingHours: profile.meeting.workingHours,
    calendar: calendarFor(profile.calendar),
    notBefore: now.toISOString(),
    requirements,
    schedules,
  });
  return { kind: 'searched', result, requirements };
}

function windowText(window: MeetingWindow): string {
  return `${formatDate(window.from)} to ${formatDate(window.to)}`;
}

/** Who blocks every time, person by person, for the no-slot card. */
function blockersOf(
  result: Extract<SlotSearchResult, { blockers: unknown }>,
  requirements: SlotRequirement[],
) {
  return result.blockers.flatMap((blocker) => {
    const requirement = requirements.find((r) => r.label === blocker.label);
    const people = requirement?.anyOf.map((p) => p.person) ?? blocker.people.map((name) => ({ name }));
    const reason =
      `${blocker.label}: not free at ${blocker.blockedSlots} of the possible times, on ` +
      `${blocker.busyDays} working day${blocker.busyDays === 1 ? '' : 's'} of the window`;
    return people.map((person) => ({ person, reason }));
  });
}

type Preparation =
  | { ok: false; reply: CardReply }
  | {
      ok: true;
      review: Review;
      profile: PartnershipProfile;
      chair: Person;
      organizer: string;
      /** The days it may be booked on: the statutory window, or beyond it after a reconvene. */
      window: MeetingWindow;
      statutory: MeetingWindow;
      /** After a reconvene: the day after which a booking is late. */
      lateAfter: string | null;
    };

/** The checks every booking step shares: who may book, in which state, and with what. */
async function prepare(deps: FlowDeps, reviewId: string, actor: Actor): Promise<Preparation> {
  const review = await deps.store.getReview(reviewId);
  if (!review) return { ok: false, reply: refusalReply('This review no longer exists.') };
  if (!actor.businessUnit) {
    return { ok: false, reply: refusalReply('Only the business unit books the review meeting.') };
  }
  if (review.state === 'opened') {
    return {
      ok: false,
      reply: refusalReply('The scoping requests are not out yet: the meeting is booked once they are.'),
    };
  }
  if (review.state !== 'scoping' && review.state !== 'meeting-booked') {
    return { ok: false, reply: refusalReply(`The review meeting has already been held (${review.state}).`) };
  }
  const profile = profileOf(deps, review);
  const chair = chairOf(deps, review);
  if (!chair) {
    return {
      ok: false,
      reply: refusalReply(
        'No chair is set for the review group, and only the chair can confirm quorum. ' +
          'Ask the administrator to set the partnership’s chair, then ask me again.',
      ),
    };
  }
  const organizer = organizerOf(deps, review, actor);
  if (!organizer) {
    return {
      ok: false,
      reply: refusalReply(
        'No mailbox is set to organise review meetings, and the review has no officer email.',
      ),
    };
  }
  const statutory = statutoryMeetingWindow(review, profile);
  if (!statutory.ok) return { ok: false, reply: refusalReply(`I cannot book yet: ${statutory.reason}.`) };
  const today = civilDateInLondon(deps.clock.now());
  const calendar = calendarFor(profile.calendar);
  const booking = bookingWindow(
    statutory.window,
    review,
    today,
    (date, days) => calendar.addWorkingDays(date, days),
    profile,
  );
  return {
    ok: true,
    review,
    profile,
    chair,
    organizer,
    window: booking.window,
    statutory: statutory.window,
    lateAfter: booking.lateAfter,
  };
}

async function proposal(deps: FlowDeps, reviewId: string, actor: Actor): Promise<CardReply> {
  const ready = await prepare(deps, reviewId, actor);
  if (!ready.ok) return ready.reply;
  const { review, profile, chair, organizer, window, lateAfter } = ready;
  const searched = await searchSlots(deps, { review, profile, chair, organizer, window });
  if (searched.kind === 'refused') return refusalReply(`No meeting proposed: ${searched.reason}.`);
  const { result, requirements } = searched;
  if (result.slots.length === 0) {
    if (!('blockers' in result) || result.blockers.length === 0) {
      return refusalReply(
        `No meeting proposed for the window ${windowText(window)}: ${'reason' in result ? result.reason : ''}.`,
      );
    }
    deps.log.info({ review: review.reference, blockers: result.blockers.length }, 'no meeting slot');
    return {
      card: noSlotCard(review, {
        window,
        lengthMinutes: profile.meeting.lengthMinutes,
        blockers: blockersOf(result, requirements),
      }) as Card,
    };
  }
  const unreadable = new Set(result.warnings.map((w) => w.email.toLowerCase()));
  return {
    card: slotProposalCard(review, {
      proposed: result.slots[0],
      alternatives: pickAlternatives(result.slots),
      window,
      lateAfter,
      attendees: meetingAttendees(review, chair),
      unchecked: requirements
        .flatMap((r) => r.anyOf)
        .filter((p) => unreadable.has(p.email.toLowerCase()))
        .map((p) => p.person),
    }) as Card,
  };
}

/** "book meeting" / "reschedule meeting": the earliest time everyone needed is free, and a few others. */
export async function proposeMeetingReply(
  deps: FlowDeps,
  reviewId: string,
  actor: Actor,
): Promise<CardReply> {
  return proposal(deps, reviewId, actor);
}

/**
 * The same proposal posted into the review channel without being asked, e.g. right after the
 * scoping requests have gone out. Acts as the bot on the business unit's behalf.
 */
export async function postMeetingProposal(deps: FlowDeps, reviewId: string): Promise<boolean> {
  const review = await deps.store.getReview(reviewId);
  if (!review) return false;
  const reply = await proposal(deps, reviewId, { person: review.openedBy, businessUnit: true });
  if (!reply.card) return false;
  return postInReviewChannel(deps, review, { card: reply.card });
}

const instant = z.iso.datetime({ offset: true });

/** What meeting.accept and meeting.pick send: a start and end, or one 'start/end' interval. */
const chosenSlotSchema = z
  .object({
    reviewId: z.string().min(1),
    start: instant.optional(),
    end: instant.optional(),
    slot: z.string().optional(),
  })
  .transform((data, ctx) => {
    let start = data.start;
    let end = data.end;
    if (data.slot) {
      const [from, to] = data.slot.split('/');
      start = instant.safeParse(from).success ? from : undefined;
      end = instant.safeParse(to).success ? to : undefined;
    }
    if (!start || !end) {
      ctx.addIssue({ code: 'custom', message: 'choose a time first' });
      return z.NEVER;
    }
    return {
      reviewId: data.reviewId,
      start: new Date(start).toISOString(),
      end: new Date(end).toISOString(),
    };
  });

/** meeting.accept / meeting.pick: check the time is still free for everyone, then book it. */
export async function bookChosenSlot(
  deps: FlowDeps,
  data: Record<string, unknown>,
  actor: Actor,
): Promise<CardReply> {
  const parsed = chosenSlotSchema.safeParse(data);
  if (!parsed.success) return refusalReply('Choose one of the times on the card first.');
  const slot = parsed.data;
  const now = deps.clock.now();
  const at = now.toISOString();
  const existing = await deps.store.getReview(slot.reviewId);
  if (existing) {
    // The lifecycle's own rule decides who may book; a refusal is audited even though nothing changes.
    const check = bookMeeting(
      existing,
      {
        ...(existing.meeting ?? { transactionId: 'check' }),
        status: 'booked',
        start: slot.start,
        end: slot.end,
      },
      actor,
      at,
    );
    if (!check.ok) {
      await deps.store.appendAudit(check.audit ?? []);
      return refusalReply(check.reason);
    }
  }
  const ready = await prepare(deps, slot.reviewId, actor);
  if (!ready.ok) return ready.reply;
  const { review, profile, chair, organizer, window, statutory } = ready;
  const day = civilDateInLondon(new Date(slot.start));
  const problem = slotProblem(slot, day, profile.meeting.lengthMinutes, window, now);
  if (problem) {
    return refusalReply(
      `That time cannot be booked: ${problem} (${windowText(window)}). Ask me for the meeting again.`,
    );
  }
  const lateness = lateBooking(review, statutory, day);
  if (!lateness.ok) return refusalReply(`That time cannot be booked: ${lateness.reason}.`);
  const late = lateness.late;

  const current = review.meeting;
  if (current?.status === 'booked' && current.start === slot.start && current.end === slot.end) {
    return {
      card: current.joinUrl
        ? (meetingCard(review, current, meetingAttendees(review, chair)) as Card)
        : noticeReply(review, 'The meeting is already booked at that time.').card,
    };
  }

  const searched = await searchSlots(deps, { review, profile, chair, organizer, window, day });
  if (searched.kind === 'refused') return refusalReply(`That time cannot be booked: ${searched.reason}.`);
  if (!searched.result.slots.some((s) => s.start === slot.start)) {
    return refusalReply(
      'That time is no longer free for everyone needed. Ask me for the meeting again for the times that are.',
    );
  }

  if (current?.status === 'booked') {
    deps.background.afterReply(() => rescheduleMeeting(deps, review.id, { ...slot, late }, actor));
    return noticeReply(
      review,
      'Moving the review meeting to the new time. Everyone invited gets the updated invitation, and I post it here.',
    );
  }

  // A previous attempt that did not finish may have created its event at another time: Graph hands
  // that event back for the same transactionId, so it is moved to the chosen time afterwards.
  const retimed =
    current?.status === 'proposed' && (current.start !== slot.start || current.end !== slot.end);
  const saved = await deps.store.updateReview(review.id, (latest) =>
    proposeMeeting(latest, { start: slot.start, end: slot.end, organizer, chair, late }, actor, at),
  );
  if (!saved.ok) return refusalReply(`The meeting was not booked: ${saved.reason}.`);
  deps.background.afterReply(() => completeBooking(deps, review.id, actor, { retimed }));
  return noticeReply(
    review,
    'Booking the review meeting in the organiser’s calendar with a Teams link. I post it here when it is ready.',
  );
}

async function completeBooking(
  deps: FlowDeps,
  reviewId: string,
  actor: Actor,
  options: { retimed: boolean },
): Promise<void> {
  const review = await deps.store.getReview(reviewId);
  const meeting = review?.meeting;
  if (!review || !meeting || meeting.status !== 'proposed' || !meeting.organizer) return;
  const log = deps.log.child({ review: review.reference });
  try {
    const booked = await deps.teamspace.createMeeting({
      organizer: meeting.organizer,
      // The invitation reaches mailboxes outside the review channel: the reference only.
      subject: `Rapid Review meeting ${review.reference}`,
      start: meeting.start,
      end: meeting.end,
      attendees: meetingAttendees(review, meeting.chair),
      transactionId: meeting.transactionId,
    });
    if (options.retimed) {
      await deps.teamspace.updateMeeting(meeting.organizer, booked.eventId, meeting.start, meeting.end);
    }
    const at = deps.clock.now().toISOString();
    const result = await deps.store.updateReview(reviewId, (current) => {
      if (current.meeting?.status === 'booked') return { ok: false, reason: 'already booked' };
      if (current.meeting?.transactionId !== meeting.transactionId) {
        return { ok: false, reason: 'another booking attempt replaced this one' };
      }
      return bookMeeting(
        current,
        { ...current.meeting, eventId: booked.eventId, joinUrl: booked.joinUrl },
        actor,
        at,
      );
    });
    if (!result.ok) {
      log.info({ reason: result.reason }, 'booking not recorded');
      return;
    }
    log.info({ eventId: booked.eventId }, 'review meeting booked');
    const joined = await joinMeetingChat(deps, result.review);
    const attendees = meetingAttendees(joined, joined.meeting?.chair);
    await postInReviewChannel(deps, joined, {
      card: meetingCard(joined, joined.meeting as Meeting, attendees) as Card,
    });
  } catch (error) {
    log.warn({ err: { message: (error as Error).message } }, 'booking the meeting failed');
    await postInReviewChannel(
      deps,
      review,
      noticeMessage(
        review,
        'Booking the review meeting did not finish. Nothing was booked twice: press the button again, or ask me for the meeting again.',
        [],
        'warning',
      ),
    );
  }
}

/**
 * Finds the online meeting behind the event and puts the bot in its chat, where the meeting events
 * and the quorum check happen. Each part failing is reported, not fatal: the meeting is booked.
 */
export async function joinMeetingChat(deps: FlowDeps, review: Review): Promise<Review> {
  const meeting = review.meeting;
  if (!meeting?.joinUrl || !meeting.organizer) return review;
  const log = deps.log.child({ review: review.reference });
  let current = review;
  try {
    if (!meeting.chatId || !meeting.onlineMeetingId) {
      const online = await deps.teamspace.findOnlineMeeting(meeting.organizer, meeting.joinUrl);
      if (!online) {
        log.warn('online meeting not found for the join link');
        return review;
      }
      const at = deps.clock.now().toISOString();
      const saved = await deps.store.updateReview(review.id, (latest) =>
        recordOnlineMeeting(latest, { onlineMeetingId: online.id, chatId: online.chatId }, at),
      );
      if (saved.ok) current = saved.review;
    }
    const chatId = current.meeting?.chatId;
    if (!chatId) return current;
    if (!deps.settings.teamsAppId) {
      log.info('no Teams app id is set: the bot is not added to the meeting chat (no live quorum check)');
      return current;
    }
    await deps.teamspace.installAppInChat(chatId, deps.settings.teamsAppId);
    log.info('bot added to the meeting chat');
  } catch (error) {
    log.warn({ err: { message: (error as Error).message } }, 'joining the meeting chat failed');
    await postInReviewChannel(
      deps,
      current,
      noticeMessage(
        current,
        'The meeting is booked, but I could not join its chat. Add the Rapid Review app to the meeting to use the live quorum check.',
        [],
        'warning',
      ),
    );
  }
  return current;
}

async function rescheduleMeeting(
  deps: FlowDeps,
  reviewId: string,
  slot: { start: string; end: string; late: Meeting['late'] | null },
  actor: Actor,
): Promise<void> {
  const review = await deps.store.getReview(reviewId);
  const meeting = review?.meeting;
  if (!review || meeting?.status !== 'booked' || !meeting.eventId || !meeting.organizer) return;
  const log = deps.log.child({ review: review.reference });
  try {
    await deps.teamspace.updateMeeting(meeting.organizer, meeting.eventId, slot.start, slot.end);
    const at = deps.clock.now().toISOString();
    const result = await deps.store.updateReview(reviewId, (current) => {
      if (!current.meeting) return { ok: false, reason: 'the meeting is gone' };
      const { late: _previous, ...meeting } = current.meeting;
      void _previous;
      const moved = bookMeeting(
        current,
        { ...meeting, start: slot.start, end: slot.end, ...(slot.late ? { late: slot.late } : {}) },
        actor,
        at,
      );
      return moved.ok ? { ...moved, review: clearMeetingSession(moved.review) } : moved;
    });
    if (!result.ok) {
      log.info({ reason: result.reason }, 'reschedule not recorded');
      return;
    }
    const saved = result.review;
    await postInReviewChannel(deps, saved, {
      text: 'The review meeting has moved.',
      card: meetingCard(
        saved,
        saved.meeting as Meeting,
        meetingAttendees(saved, saved.meeting?.chair),
      ) as Card,
    });
  } catch (error) {
    log.warn({ err: { message: (error as Error).message } }, 'rescheduling the meeting failed');
    await postInReviewChannel(
      deps,
      review,
      noticeMessage(
        review,
        'Moving the review meeting did not finish; it is still at its old time.',
        [],
        'warning',
      ),
    );
  }
}

/** "cancel meeting REASON": the event is cancelled in Graph (attendees are told), then recorded. */
export async function cancelMeetingFlow(
  deps: FlowDeps,
  reviewId: string,
  reason: string,
  actor: Actor,
): Promise<CardReply> {
  const review = await deps.store.getReview(reviewId);
  if (!review) return refusalReply('This review no longer exists.');
  const at = deps.clock.now().toISOString();
  const why = reason.trim() || 'no reason given';
  const check = cancelMeeting(review, why, actor, at);
  if (!check.ok) {
    await deps.store.appendAudit(check.audit ?? []);
    return refusalReply(check.reason);
  }
  const meeting = review.meeting as Meeting;
  if (meeting.eventId && meeting.organizer) {
    // The comment goes by email to everyone invited: it says nothing about the case.
    await deps.teamspace.cancelMeeting(
      meeting.organizer,
      meeting.eventId,
      `The Rapid Review meeting ${review.reference} is cancelled. A new time will be proposed in the review's channel.`,
    );
  }
  const result = await deps.store.updateReview(reviewId, (current) => {
    const cancelled = cancelMeeting(current, why, actor, at);
    return cancelled.ok ? { ...cancelled, review: clearMeetingSession(cancelled.review) } : cancelled;
  });
  if (!result.ok) return refusalReply(result.reason);
  return noticeReply(
    review,
    'The review meeting is cancelled and everyone invited has been told. Ask me to book the meeting again for a new time.',
  );
}
