/**
 * Who is in the review meeting right now, from the meeting chat's participant join/leave events.
 *
 * The chair confirms quorum during the meeting, long before Graph's attendance report exists (it is
 * produced only after the meeting ends), so the bot keeps its own running view. The state is plain,
 * JSON-serialisable data (a record, not a Map) so it can be saved with the review between events,
 * and every function here is pure.
 */
import type { Instant, Person } from './model';

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

export interface LiveStay {
  person: Person;
  join: Instant;
  /** Absent while the person is still in the meeting. */
  leave?: Instant;
}

export interface LiveAttendanceState {
  /** Keyed by AAD object id. */
  present: Record<string, { person: Person; joinedAt: Instant }>;
  /** Every stay in the meeting, in the order people joined. */
  history: LiveStay[];
}

// Teams join events do not always carry a display name; the attendance report fills it in later.
const UNNAMED = 'Unnamed participant';

export function emptyLiveAttendance(): LiveAttendanceState {
  return { present: {}, history: [] };
}

/** The best Person we know for an AAD id: this event's details, else what an earlier event said. */
function personFor(state: LiveAttendanceState, member: LiveParticipant): Person {
  const earlier = [...state.history]
    .reverse()
    .find((s) => s.person.aadObjectId === member.aadObjectId)?.person;
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
  let present = state.present;
  let history = state.history;
  for (const member of event.members) {
    const id = member.aadObjectId;
    if (!id) continue;
    if (event.kind === 'join') {
      if (Object.hasOwn(present, id)) continue;
      const person = personFor({ present, history }, member);
      present = { ...present, [id]: { person, joinedAt: event.at } };
      history = [...history, { person, join: event.at }];
    } else {
      if (!Object.hasOwn(present, id)) continue;
      const rest = { ...present };
      delete rest[id];
      present = rest;
      history = closeOpenStay(history, id, event.at);
    }
  }
  return present === state.present && history === state.history ? state : { present, history };
}

/** Everyone still present leaves at `at`: the meeting has ended. */
export function endLiveAttendance(state: LiveAttendanceState, at: Instant): LiveAttendanceState {
  return applyParticipantEvent(state, {
    kind: 'leave',
    members: Object.keys(state.present).map((aadObjectId) => ({ aadObjectId })),
    at,
  });
}

/** The people in the meeting now, in the order they joined. */
export function presentPeople(state: LiveAttendanceState): Person[] {
  return Object.values(state.present)
    .sort((a, b) => Date.parse(a.joinedAt) - Date.parse(b.joinedAt))
    .map((entry) => entry.person);
}
