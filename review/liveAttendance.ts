/**
 * Who is in the review meeting right now, from the meeting chat's participant join/leave events.
 *
 * The chair confirms quorum during the meeting, long before Graph's attendance report exists (it is
 * produced only after the meeting ends), so the bot keeps its own running view. The state is plain,
 * JSON-serialisable data (its shape is in model.ts, saved with the review between events), and every
 * function here is pure.
 */
import type { Instant, LiveAttendanceState, LiveStay, Person } from './model';

export type { LiveAttendanceState, LiveStay } from './model';

export interface LiveParticipant {
  aadObjectId: string;
  name?: string;
  email?: string;
}

export interface ParticipantEvent {
  kind: 'join' | 'leave';
  members: LiveParticipant[];
  at: Instant;
}

// Teams join events do not always carry a display name; the attendance report fills it in later.
const UNNAMED = 'Unnamed participant';

export function emptyLiveAttendance(): LiveAttendanceState {
  return { history: [] };
}

/** The best Person we know for an AAD id: this event's details, else what an earlier event said. */
function personFor(history: LiveStay[], member: LiveParticipant): Person {
  const earlier = [...history].reverse().find((s) => s.person.aadObjectId === member.aadObjectId)?.person;
  const name = member.name?.trim() || earlier?.name || UNNAMED;
  const email = member.email?.trim() || earlier?.email;
  return { aadObjectId: member.aadObjectId, name, ...(email ? { email } : {}) };
}

function closeOpenStay(history: LiveStay[], aadObjectId: string, at: Instant): LiveStay[] {
  let index = history.length - 1;
  while (
    index >= 0 &&
    !(history[index].person.aadObjectId === aadObjectId && history[index].leave === undefined)
  )
    index -= 1;
  if (index < 0) return history;
  return history.map((stay, i) => (i === index ? { ...stay, leave: at } : stay));
}

/**
 * Applies one join or leave event. Teams may deliver an event twice, so a join of someone already
 * present keeps their first join time, and a leave of someone not present (never seen, or already
 * gone, e.g. they joined before the bot was in the chat) changes nothing: there is no join time to
 * pair it with, and the attendance report after the meeting has their real time.
 */
export function applyParticipantEvent(
  state: LiveAttendanceState,
  event: ParticipantEvent,
): LiveAttendanceState {
  let history = state.history;
  for (const member of event.members) {
    const id = member.aadObjectId;
    if (!id) continue;
    const present = openStays(history).has(id);
    if (event.kind === 'join') {
      if (present) continue;
      history = [...history, { person: personFor(history, member), join: event.at }];
    } else {
      if (!present) continue;
      history = closeOpenStay(history, id, event.at);
    }
  }
  return history === state.history ? state : { history };
}

/** The stays still open, by AAD object id. */
function openStays(history: LiveStay[]): Map<string, LiveStay> {
  const open = new Map<string, LiveStay>();
  for (const stay of history) {
    if (stay.leave === undefined && stay.person.aadObjectId) open.set(stay.person.aadObjectId, stay);
  }
  return open;
}

/** Everyone still present leaves at `at`: the meeting has ended. */
export function endLiveAttendance(state: LiveAttendanceState, at: Instant): LiveAttendanceState {
  return applyParticipantEvent(state, {
    kind: 'leave',
    members: [...openStays(state.history).keys()].map((aadObjectId) => ({ aadObjectId })),
    at,
  });
}

/** The people in the meeting now, in the order they joined. */
export function presentPeople(state: LiveAttendanceState): Person[] {
  return [...openStays(state.history).values()]
    .sort((a, b) => Date.parse(a.join) - Date.parse(b.join))
    .map((stay) => stay.person);
}
