import {
  applyParticipantEvent,
  emptyLiveAttendance,
  endLiveAttendance,
  presentPeople,
  type LiveAttendanceState,
  type ParticipantEvent,
} from './liveAttendance';

const robin = { aadObjectId: 'aad-robin', name: 'Robin Placeholder', email: 'robin@la.example.org' };
const sam = { aadObjectId: 'aad-sam', name: 'Sam Specimen' };
const alex = { aadObjectId: 'aad-alex', name: 'Alex Dummyrep' };

function run(
  events: ParticipantEvent[],
  from: LiveAttendanceState = emptyLiveAttendance(),
): LiveAttendanceState {
  return events.reduce(applyParticipantEvent, from);
}

const join = (at: string, ...members: ParticipantEvent['members']): ParticipantEvent => ({
  kind: 'join',
  members,
  at,
});
const leave = (at: string, ...members: ParticipantEvent['members']): ParticipantEvent => ({
  kind: 'leave',
  members,
  at,
});

describe('live attendance in the meeting chat', () => {
  it('shows who joined, in the order they joined, and drops those who left', () => {
    const state = run([
      join('2026-11-02T10:00:05Z', robin),
      join('2026-11-02T10:01:00Z', sam, alex),
      leave('2026-11-02T10:20:00Z', sam),
    ]);
    expect(presentPeople(state).map((p) => p.name)).toEqual(['Robin Placeholder', 'Alex Dummyrep']);
    expect(state.history).toEqual([
      { person: { ...robin }, join: '2026-11-02T10:00:05Z' },
      { person: { ...sam }, join: '2026-11-02T10:01:00Z', leave: '2026-11-02T10:20:00Z' },
      { person: { ...alex }, join: '2026-11-02T10:01:00Z' },
    ]);
  });

  it('records a rejoin as a second stay and keeps the name from the first join', () => {
    const state = run([
      join('2026-11-02T10:00:00Z', sam),
      leave('2026-11-02T10:10:00Z', sam),
      join('2026-11-02T10:15:00Z', { aadObjectId: 'aad-sam' }),
    ]);
    expect(presentPeople(state)).toEqual([{ aadObjectId: 'aad-sam', name: 'Sam Specimen' }]);
    expect(state.history.map((s) => [s.join, s.leave])).toEqual([
      ['2026-11-02T10:00:00Z', '2026-11-02T10:10:00Z'],
      ['2026-11-02T10:15:00Z', undefined],
    ]);
  });

  it('ignores a repeated join event, keeping the first join time', () => {
    const state = run([join('2026-11-02T10:00:00Z', robin), join('2026-11-02T10:05:00Z', robin)]);
    expect(state.history).toEqual([{ person: { ...robin }, join: '2026-11-02T10:00:00Z' }]);
  });

  it('reads a live view an older release saved with its own present record, and drops that record', () => {
    const older = {
      present: { 'aad-robin': { person: robin, joinedAt: '2026-11-02T10:00:00Z' } },
      history: [{ person: robin, join: '2026-11-02T10:00:00Z' }],
    } as LiveAttendanceState;
    expect(presentPeople(older)).toEqual([robin]);
    const after = applyParticipantEvent(older, leave('2026-11-02T10:40:00Z', { aadObjectId: 'aad-robin' }));
    expect(presentPeople(after)).toEqual([]);
    expect(after).toEqual({
      history: [{ person: robin, join: '2026-11-02T10:00:00Z', leave: '2026-11-02T10:40:00Z' }],
    });
  });

  it('ignores the leave of someone never seen joining', () => {
    const before = run([join('2026-11-02T10:00:00Z', robin)]);
    const after = applyParticipantEvent(before, leave('2026-11-02T10:30:00Z', alex));
    expect(after).toEqual(before);
    expect(presentPeople(after).map((p) => p.name)).toEqual(['Robin Placeholder']);
  });

  it('never changes the state it was given', () => {
    const before = run([join('2026-11-02T10:00:00Z', robin)]);
    const snapshot = JSON.parse(JSON.stringify(before));
    applyParticipantEvent(before, leave('2026-11-02T10:30:00Z', robin));
    applyParticipantEvent(before, join('2026-11-02T10:30:00Z', sam));
    expect(before).toEqual(snapshot);
  });

  it('names a participant whose join event carries no name', () => {
    const state = run([join('2026-11-02T10:00:00Z', { aadObjectId: 'aad-guest' })]);
    expect(presentPeople(state)).toEqual([{ aadObjectId: 'aad-guest', name: 'Unnamed participant' }]);
  });

  it('closes every open stay when the meeting ends', () => {
    const state = endLiveAttendance(
      run([join('2026-11-02T10:00:00Z', robin, sam), leave('2026-11-02T11:00:00Z', sam)]),
      '2026-11-02T12:00:00Z',
    );
    expect(presentPeople(state)).toEqual([]);
    expect(state.history.map((s) => s.leave)).toEqual(['2026-11-02T12:00:00Z', '2026-11-02T11:00:00Z']);
  });

  it('survives a round trip through JSON, as the store keeps it', () => {
    const state = run([join('2026-11-02T10:00:00Z', robin)]);
    const restored = JSON.parse(JSON.stringify(state)) as LiveAttendanceState;
    const next = applyParticipantEvent(restored, leave('2026-11-02T10:40:00Z', robin));
    expect(presentPeople(next)).toEqual([]);
    expect(next.history[0].leave).toBe('2026-11-02T10:40:00Z');
  });
});
