/**
 * Finds times for the Rapid Review meeting inside its statutory window from people's free/busy.
 *
 * Graph's findMeetingTimes is not available to an application, so the bot reads getSchedule and
 * decides itself. A slot is good when every requirement has at least one of its people free: one
 * requirement per statutory partner (any of its representatives will do for quorum), one for the
 * chair, one for the business unit. Working hours are London wall-clock times, so a slot at 09:30 is
 * 08:30Z in summer and 09:30Z in winter; the conversion asks the time-zone database for London's
 * offset at that very instant rather than assuming one.
 *
 * Status decision: 'busy', 'oof' and 'tentative' block a slot ('tentative' is usually a meeting the
 * person has not declined, and a Rapid Review that loses a statutory partner is not quorate), and so
 * does 'unknown' for the same reason. 'free' and 'workingElsewhere' leave the person available (the
 * meeting is online). A person whose calendar could not be read at all blocks nothing but is named in
 * `warnings`, so the business unit can check with them.
 */
import type { Instant, Person } from '../review/model';
import type { FreeBusyBlock, PersonSchedule } from '../review/ports';
import { addCalendarDays, parseCivilDate, toEpochDay, type CivilDate } from './civilDate';
import type { WorkingDayCalendar } from './workingDayCalendar';

/** Free/busy statuses that make a person unavailable for the meeting. */
export const blockingStatuses: ReadonlySet<FreeBusyBlock['status']> = new Set([
  'busy',
  'oof',
  'tentative',
  'unknown',
]);

export interface SlotRequirement {
  /** Shown in alerts, e.g. 'Police' or 'Chair'. */
  label: string;
  /** At least one of these people must be free. */
  anyOf: { person: Person; email: string }[];
}

export interface SlotSearch {
  window: { from: CivilDate; to: CivilDate };
  lengthMinutes: number;
  /** Europe/London wall-clock times, 'HH:MM'. */
  workingHours: { start: string; end: string };
  calendar: WorkingDayCalendar;
  /** No slot starts before this instant (e.g. now). */
  notBefore?: Instant;
  /** Candidate starts are working-hours start + k × step. Default 30. */
  stepMinutes?: number;
  requirements: SlotRequirement[];
  /** Busy blocks by email (scheduleId), as getSchedule returns them. */
  schedules: PersonSchedule[];
  /** Stop after this many slots. Default: every slot in the window. */
  maxSlots?: number;
}

export interface MeetingSlot {
  start: Instant;
  end: Instant;
}

/** Someone whose calendar could not be read: treated as free, but the business unit should ask. */
export interface SlotWarning {
  email: string;
  name: string;
  reason: string;
}

export interface SlotBlocker {
  label: string;
  /** Names of the requirement's people (all of them were busy whenever it failed). */
  people: string[];
  /** Working days on which this requirement ruled out at least one candidate time. */
  busyDays: number;
  /** Candidate times it ruled out: blockers are listed most often first. */
  blockedSlots: number;
}

export type SlotSearchResult =
  | { slots: MeetingSlot[]; warnings: SlotWarning[] }
  | {
      slots: [];
      blockers: SlotBlocker[];
      warnings: SlotWarning[];
      /** Why there is no slot, in a sentence an alert can show. */
      reason: string;
    };

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;
const CLOCK_TIME = /^([01]\d|2[0-3]):([0-5]\d)$/;

const londonParts = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/London',
  hourCycle: 'h23',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
});

/** London's offset from UTC at `utcMs`, in milliseconds (0 in GMT, 3 600 000 in BST). */
function londonOffsetMs(utcMs: number): number {
  const parts: Record<string, number> = {};
  for (const part of londonParts.formatToParts(new Date(utcMs))) {
    if (part.type !== 'literal') parts[part.type] = Number(part.value);
  }
  const wallAsUtc = Date.UTC(parts.year, parts.month - 1, parts.day, parts.hour, parts.minute, parts.second);
  return wallAsUtc - Math.floor(utcMs / 1000) * 1000;
}

/**
 * The instant a London clock shows `minutesAfterMidnight` on `date`. Each offset in force around
 * that day is tried and kept only if London really has that offset at the resulting instant. On the
 * repeated hour in October the first (BST) occurrence wins; a time skipped in March does not exist,
 * so it is read with the pre-change offset and lands an hour later on the wall clock.
 */
export function londonWallClockToInstant(date: CivilDate, minutesAfterMidnight: number): Date {
  const wallAsUtc = toEpochDay(date) * DAY_MS + minutesAfterMidnight * MINUTE_MS;
  const offsetBefore = londonOffsetMs(wallAsUtc - DAY_MS);
  const offsetAfter = londonOffsetMs(wallAsUtc + DAY_MS);
  const valid = [offsetBefore, offsetAfter]
    .map((offset) => wallAsUtc - offset)
    .filter((instant) => londonOffsetMs(instant) === wallAsUtc - instant);
  return new Date(valid.length > 0 ? Math.min(...valid) : wallAsUtc - offsetBefore);
}

function minutesOf(time: string, field: string): number {
  const match = CLOCK_TIME.exec(time);
  if (!match) throw new RangeError(`${field}: must be a time as HH:MM (got '${String(time).slice(0, 20)}')`);
  return Number(match[1]) * 60 + Number(match[2]);
}

function requirePositiveWhole(n: number, field: string): void {
  if (!Number.isSafeInteger(n) || n <= 0)
    throw new RangeError(`${field}: must be a whole number above 0 (got ${n})`);
}

interface BusyInterval {
  start: number;
  end: number;
}

interface ReadSchedules {
  busyByEmail: Map<string, BusyInterval[]>;
  /** Emails whose calendar could not be read, with the reason. */
  unreadable: Map<string, string>;
}

function readSchedules(schedules: PersonSchedule[]): ReadSchedules {
  const busyByEmail = new Map<string, BusyInterval[]>();
  const unreadable = new Map<string, string>();
  for (const schedule of schedules) {
    const email = schedule.scheduleId.toLowerCase();
    if (schedule.error) {
      unreadable.set(email, schedule.error);
      continue;
    }
    const intervals = busyByEmail.get(email) ?? [];
    for (const block of schedule.busy) {
      if (!blockingStatuses.has(block.status)) continue;
      const start = Date.parse(block.start);
      const end = Date.parse(block.end);
      if (Number.isNaN(start) || Number.isNaN(end)) {
        // A block we cannot place in time says nothing reliable about the person's day.
        unreadable.set(email, `a busy block has an unreadable time ('${block.start}'–'${block.end}')`);
        continue;
      }
      if (end > start) intervals.push({ start, end });
    }
    busyByEmail.set(email, intervals);
  }
  for (const email of unreadable.keys()) busyByEmail.delete(email);
  return { busyByEmail, unreadable };
}

function isBusy(intervals: BusyInterval[] | undefined, start: number, end: number): boolean {
  return intervals?.some((block) => block.start < end && block.end > start) ?? false;
}

function warningsFor(
  requirements: SlotRequirement[],
  read: ReadSchedules,
  asked: Set<string>,
): SlotWarning[] {
  const warnings = new Map<string, SlotWarning>();
  for (const requirement of requirements) {
    for (const { person, email } of requirement.anyOf) {
      const key = email.toLowerCase();
      if (warnings.has(key)) continue;
      const reason = read.unreadable.get(key) ?? (asked.has(key) ? undefined : 'no calendar was returned');
      if (reason !== undefined) warnings.set(key, { email, name: person.name, reason });
    }
  }
  return [...warnings.values()];
}

/** Earliest slots first, on working days of the window, within London working hours. */
export function findMeetingSlots(input: SlotSearch): SlotSearchResult {
  const from = parseCivilDate(input.window.from, 'window.from');
  const to = parseCivilDate(input.window.to, 'window.to');
  requirePositiveWhole(input.lengthMinutes, 'lengthMinutes');
  const stepMinutes = input.stepMinutes ?? 30;
  requirePositiveWhole(stepMinutes, 'stepMinutes');
  const dayStart = minutesOf(input.workingHours.start, 'workingHours.start');
  const dayEnd = minutesOf(input.workingHours.end, 'workingHours.end');
  if (dayEnd <= dayStart) throw new RangeError('workingHours: the end must be after the start');
  const maxSlots = input.maxSlots ?? Number.POSITIVE_INFINITY;
  if (maxSlots !== Number.POSITIVE_INFINITY) requirePositiveWhole(maxSlots, 'maxSlots');
  const notBefore = input.notBefore === undefined ? Number.NEGATIVE_INFINITY : Date.parse(input.notBefore);
  if (Number.isNaN(notBefore))
    throw new RangeError(`notBefore: must be an ISO instant (got '${input.notBefore}')`);

  const read = readSchedules(input.schedules);
  const asked = new Set(input.schedules.map((s) => s.scheduleId.toLowerCase()));
  const warnings = warningsFor(input.requirements, read, asked);
  const lengthMs = input.lengthMinutes * MINUTE_MS;

  const slots: MeetingSlot[] = [];
  const tally = input.requirements.map(() => ({ blockedSlots: 0, days: new Set<CivilDate>() }));
  let workingDays = 0;
  let candidates = 0;
  const lastDay = toEpochDay(to);
  for (let date = from; toEpochDay(date) <= lastDay; date = addCalendarDays(date, 1)) {
    if (!input.calendar.isWorkingDay(date)) continue;
    workingDays += 1;
    const closes = londonWallClockToInstant(date, dayEnd).getTime();
    for (let minute = dayStart; ; minute += stepMinutes) {
      const start = londonWallClockToInstant(date, minute).getTime();
      const end = start + lengthMs;
      if (end > closes) break;
      if (start < notBefore) continue;
      candidates += 1;
      let free = true;
      input.requirements.forEach((requirement, index) => {
        const met = requirement.anyOf.some(
          ({ email }) => !isBusy(read.busyByEmail.get(email.toLowerCase()), start, end),
        );
        if (!met) {
          free = false;
          tally[index].blockedSlots += 1;
          tally[index].days.add(date);
        }
      });
      if (free) {
        slots.push({ start: new Date(start).toISOString(), end: new Date(end).toISOString() });
        if (slots.length >= maxSlots) return { slots, warnings };
      }
    }
  }
  if (slots.length > 0) return { slots, warnings };

  const blockers = input.requirements
    .map((requirement, index) => ({
      label: requirement.label,
      people: requirement.anyOf.map(({ person }) => person.name),
      busyDays: tally[index].days.size,
      blockedSlots: tally[index].blockedSlots,
    }))
    .filter((blocker) => blocker.blockedSlots > 0)
    .sort((a, b) => b.blockedSlots - a.blockedSlots || a.label.localeCompare(b.label));
  let reason: string;
  if (workingDays === 0) reason = 'there is no working day in the meeting window';
  else if (dayEnd - dayStart < input.lengthMinutes)
    reason = `a ${input.lengthMinutes}-minute meeting does not fit in the working day (${input.workingHours.start}–${input.workingHours.end})`;
  else if (candidates === 0) reason = 'every working time in the meeting window has already passed';
  else reason = `no time in the window suits everyone needed: ${blockers.map((b) => b.label).join(', ')}`;
  return { slots: [], blockers, warnings, reason };
}
