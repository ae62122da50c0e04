import type { Person } from '../review/model';
import type { FreeBusyBlock, PersonSchedule } from '../review/ports';
import { civilDateInLondon } from './civilDate';
import {
  findMeetingSlots,
  londonWallClockToInstant,
  type SlotRequirement,
  type SlotSearch,
} from './slotFinder';
import { WorkingDayCalendar } from './workingDayCalendar';

const calendar = new WorkingDayCalendar({ region: 'ENG', closureDays: [] });

function who(name: string): { person: Person; email: string } {
  const email = `${name.toLowerCase().replace(/ /g, '.')}@example.org`;
  return { person: { name, email }, email };
}

const police1 = who('Sam Specimen');
const police2 = who('Kim Standin');
const la = who('Robin Placeholder');
const icb = who('Alex Dummyrep');
const chair = who('Chris Chairperson');

const requirements: SlotRequirement[] = [
  { label: 'Local authority', anyOf: [la] },
  { label: 'Police', anyOf: [police1, police2] },
  { label: 'Integrated Care Board', anyOf: [icb] },
  { label: 'Chair', anyOf: [chair] },
];

function schedule(
  person: { email: string },
  busy: [string, string, FreeBusyBlock['status']?][] = [],
): PersonSchedule {
  return {
    scheduleId: person.email,
    busy: busy.map(([start, end, status]) => ({ start, end, status: status ?? 'busy' })),
  };
}

function allFree(): PersonSchedule[] {
  return [la, police1, police2, icb, chair].map((p) => schedule(p));
}

function search(overrides: Partial<SlotSearch>): SlotSearch {
  return {
    window: { from: '2026-11-02', to: '2026-11-06' },
    lengthMinutes: 120,
    workingHours: { start: '09:30', end: '16:30' },
    calendar,
    requirements,
    schedules: allFree(),
    ...overrides,
  };
}

const londonClock = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/London',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});

function londonTime(instant: string): string {
  return londonClock.format(new Date(instant));
}

describe('findMeetingSlots', () => {
  it('offers the earliest time when everyone is free, on London working hours', () => {
    const result = findMeetingSlots(search({ maxSlots: 3 }));
    expect(result.slots).toEqual([
      { start: '2026-11-02T09:30:00.000Z', end: '2026-11-02T11:30:00.000Z' },
      { start: '2026-11-02T10:00:00.000Z', end: '2026-11-02T12:00:00.000Z' },
      { start: '2026-11-02T10:30:00.000Z', end: '2026-11-02T12:30:00.000Z' },
    ]);
  });

  it('never ends a meeting after the working day and lists every start on the step', () => {
    const { slots } = findMeetingSlots(search({ window: { from: '2026-11-02', to: '2026-11-02' } }));
    // 09:30 to 14:30 every 30 minutes: a 2-hour meeting must end by 16:30.
    expect(slots.map((s) => londonTime(s.start))).toEqual([
      '09:30',
      '10:00',
      '10:30',
      '11:00',
      '11:30',
      '12:00',
      '12:30',
      '13:00',
      '13:30',
      '14:00',
      '14:30',
    ]);
  });

  it('skips times when a required person is busy, and accepts any one representative of a partner', () => {
    const schedules = [
      schedule(la, [['2026-11-02T09:00:00Z', '2026-11-02T13:00:00Z']]),
      // Both police representatives are busy in the afternoon, but not at the same time in the morning.
      schedule(police1, [['2026-11-02T13:00:00Z', '2026-11-02T17:00:00Z']]),
      schedule(police2, [['2026-11-02T12:00:00Z', '2026-11-02T17:00:00Z']]),
      schedule(icb),
      schedule(chair),
    ];
    const result = findMeetingSlots(search({ schedules, maxSlots: 1 }));
    // Monday is ruled out (LA all morning, police all afternoon): the first slot is Tuesday 09:30.
    expect(result.slots).toEqual([{ start: '2026-11-03T09:30:00.000Z', end: '2026-11-03T11:30:00.000Z' }]);
  });

  it('treats tentative as busy and free or working elsewhere as free', () => {
    const day = { from: '2026-11-02', to: '2026-11-02' };
    const tentative = findMeetingSlots(
      search({
        window: day,
        schedules: [
          ...allFree(),
          schedule(chair, [['2026-11-02T00:00:00Z', '2026-11-02T23:59:00Z', 'tentative']]),
        ],
      }),
    );
    expect(tentative.slots).toEqual([]);
    const elsewhere = findMeetingSlots(
      search({
        window: day,
        schedules: [
          schedule(la, [['2026-11-02T00:00:00Z', '2026-11-02T23:59:00Z', 'workingElsewhere']]),
          schedule(chair, [['2026-11-02T00:00:00Z', '2026-11-02T23:59:00Z', 'free']]),
          schedule(police1),
          schedule(icb),
        ],
      }),
    );
    expect(elsewhere.slots.length).toBe(11);
  });

  it('leaves out bank holidays and closure days', () => {
    // Christmas 2026: Fri 25 Dec and Mon 28 Dec (Boxing Day substitute) are bank holidays.
    const window = { from: '2026-12-24', to: '2026-12-30' };
    const days = (cal: WorkingDayCalendar) =>
      new Set(
        findMeetingSlots(search({ window, calendar: cal })).slots.map((s) =>
          civilDateInLondon(new Date(s.start)),
        ),
      );
    expect([...days(calendar)]).toEqual(['2026-12-24', '2026-12-29', '2026-12-30']);
    const withClosure = new WorkingDayCalendar({ region: 'ENG', closureDays: ['2026-12-29', '2026-12-30'] });
    expect([...days(withClosure)]).toEqual(['2026-12-24']);
  });

  it('names who blocks it when no time suits everyone', () => {
    const week = ['2026-11-02', '2026-11-03', '2026-11-04', '2026-11-05', '2026-11-06'];
    const schedules = [
      // The ICB representative is away all week; the chair is busy every afternoon.
      schedule(
        icb,
        week.map((d) => [`${d}T07:00:00Z`, `${d}T18:00:00Z`, 'oof'] as [string, string, 'oof']),
      ),
      schedule(
        chair,
        week.map((d) => [`${d}T12:00:00Z`, `${d}T18:00:00Z`] as [string, string]),
      ),
      schedule(la),
      schedule(police1),
      schedule(police2),
    ];
    const result = findMeetingSlots(search({ schedules }));
    expect(result.slots).toEqual([]);
    if (!('blockers' in result)) throw new Error('expected blockers');
    expect(result.blockers.map((b) => b.label)).toEqual(['Integrated Care Board', 'Chair']);
    expect(result.blockers[0]).toMatchObject({ people: ['Alex Dummyrep'], busyDays: 5 });
    expect(result.blockers[1].people).toEqual(['Chris Chairperson']);
    expect(result.blockers[1].blockedSlots).toBeLessThan(result.blockers[0].blockedSlots);
    expect(result.reason).toContain('Integrated Care Board');
  });

  it('treats a person whose calendar cannot be read as free, with a warning', () => {
    const schedules = [
      ...allFree().filter((s) => s.scheduleId !== icb.email),
      { scheduleId: icb.email.toUpperCase(), busy: [], error: 'MailboxNotEnabledForRESTAPI' },
    ];
    const result = findMeetingSlots(search({ schedules, maxSlots: 1 }));
    expect(result.slots).toHaveLength(1);
    expect(result.warnings).toEqual([
      { email: icb.email, name: 'Alex Dummyrep', reason: 'MailboxNotEnabledForRESTAPI' },
    ]);
  });

  it('warns about a person for whom no calendar came back', () => {
    const schedules = allFree().filter((s) => s.scheduleId !== chair.email);
    const result = findMeetingSlots(search({ schedules, maxSlots: 1 }));
    expect(result.slots).toHaveLength(1);
    expect(result.warnings.map((w) => w.name)).toEqual(['Chris Chairperson']);
  });

  it('matches schedules to people whatever the case of the email', () => {
    const schedules = [
      ...allFree().filter((s) => s.scheduleId !== chair.email),
      schedule({ email: chair.email.toUpperCase() }, [['2026-11-02T00:00:00Z', '2026-11-07T00:00:00Z']]),
    ];
    const result = findMeetingSlots(search({ schedules }));
    expect(result.slots).toEqual([]);
    expect(result.warnings).toEqual([]);
  });

  it('moves with the clocks from BST to GMT (25 October 2026)', () => {
    const result = findMeetingSlots(
      search({
        window: { from: '2026-10-23', to: '2026-10-26' },
        workingHours: { start: '09:00', end: '17:00' },
      }),
    );
    const firstOfDay = new Map<string, string>();
    for (const slot of result.slots) {
      const day = civilDateInLondon(new Date(slot.start));
      if (!firstOfDay.has(day)) firstOfDay.set(day, slot.start);
    }
    // Friday is still BST (UTC+1); Monday is GMT. The weekend has no slot.
    expect(Object.fromEntries(firstOfDay)).toEqual({
      '2026-10-23': '2026-10-23T08:00:00.000Z',
      '2026-10-26': '2026-10-26T09:00:00.000Z',
    });
    for (const slot of result.slots) {
      expect(londonTime(slot.start) >= '09:00' && londonTime(slot.end) <= '17:00').toBe(true);
    }
  });

  it('moves with the clocks from GMT to BST (28 March 2027), over the Easter bank holidays', () => {
    const result = findMeetingSlots(
      search({
        window: { from: '2027-03-25', to: '2027-03-30' },
        workingHours: { start: '09:00', end: '17:00' },
      }),
    );
    const starts = result.slots.map((s) => s.start);
    // Good Friday (26 Mar) and Easter Monday (29 Mar) fall either side of the change: no slot on them.
    expect([...new Set(starts.map((s) => civilDateInLondon(new Date(s))))]).toEqual([
      '2027-03-25',
      '2027-03-30',
    ]);
    // Thursday is GMT, so 09:00 London is 09:00Z; Tuesday is BST, so 09:00 London is 08:00Z.
    expect(starts[0]).toBe('2027-03-25T09:00:00.000Z');
    expect(starts.filter((s) => s.startsWith('2027-03-30'))[0]).toBe('2027-03-30T08:00:00.000Z');
    // A 2-hour meeting ending at 17:00 BST starts at 15:00 BST, 14:00Z.
    expect(starts[starts.length - 1]).toBe('2027-03-30T14:00:00.000Z');
  });

  it('respects London time against a busy block given in UTC across the change', () => {
    // The chair is busy 08:00-10:00Z on Monday 26 Oct: in GMT that is 08:00-10:00 London.
    const schedules = [...allFree(), schedule(chair, [['2026-10-26T08:00:00Z', '2026-10-26T10:00:00Z']])];
    const result = findMeetingSlots(
      search({
        window: { from: '2026-10-26', to: '2026-10-26' },
        workingHours: { start: '09:00', end: '17:00' },
        schedules,
        maxSlots: 1,
      }),
    );
    expect(result.slots[0].start).toBe('2026-10-26T10:00:00.000Z');
  });

  it('never proposes a time before notBefore', () => {
    const result = findMeetingSlots(search({ notBefore: '2026-11-03T11:10:00.000Z', maxSlots: 2 }));
    expect(result.slots.map((s) => s.start)).toEqual([
      '2026-11-03T11:30:00.000Z',
      '2026-11-03T12:00:00.000Z',
    ]);
  });

  it('says so when every time in the window has passed', () => {
    const result = findMeetingSlots(search({ notBefore: '2026-11-06T16:00:00.000Z' }));
    expect(result.slots).toEqual([]);
    if (!('reason' in result)) throw new Error('expected a reason');
    expect(result.reason).toMatch(/already passed/);
    expect(result.blockers).toEqual([]);
  });

  it('finds nothing when the meeting is longer than the working day', () => {
    const result = findMeetingSlots(search({ lengthMinutes: 7 * 60 + 30 }));
    expect(result.slots).toEqual([]);
    if (!('reason' in result)) throw new Error('expected a reason');
    expect(result.reason).toMatch(/does not fit in the working day/);
    // Exactly the working day still fits.
    expect(findMeetingSlots(search({ lengthMinutes: 7 * 60 })).slots).toHaveLength(5);
  });

  it('says so when the window holds no working day', () => {
    const result = findMeetingSlots(search({ window: { from: '2026-12-25', to: '2026-12-28' } }));
    expect(result.slots).toEqual([]);
    if (!('reason' in result)) throw new Error('expected a reason');
    expect(result.reason).toMatch(/no working day/);
  });

  it('rejects settings that cannot describe a meeting', () => {
    expect(() => findMeetingSlots(search({ lengthMinutes: 0 }))).toThrow(/lengthMinutes/);
    expect(() => findMeetingSlots(search({ workingHours: { start: '17:00', end: '09:00' } }))).toThrow(
      /workingHours/,
    );
    expect(() => findMeetingSlots(search({ workingHours: { start: '9am', end: '17:00' } }))).toThrow(/HH:MM/);
    expect(() => findMeetingSlots(search({ notBefore: 'soon' }))).toThrow(/notBefore/);
  });
});

describe('londonWallClockToInstant', () => {
  it('agrees with the time-zone database on every quarter hour around both changes', () => {
    for (const date of ['2026-10-24', '2026-10-25', '2026-10-26', '2027-03-27', '2027-03-28', '2027-03-29']) {
      for (let minute = 0; minute < 24 * 60; minute += 15) {
        const instant = londonWallClockToInstant(date, minute);
        const wall = `${String(Math.floor(minute / 60)).padStart(2, '0')}:${String(minute % 60).padStart(2, '0')}`;
        const skipped = date === '2027-03-28' && wall >= '01:00' && wall < '02:00';
        if (skipped) continue;
        expect(`${civilDateInLondon(instant)} ${londonTime(instant.toISOString())}`).toBe(`${date} ${wall}`);
      }
    }
  });

  it('takes the first occurrence of the repeated hour and moves a skipped time an hour on', () => {
    expect(londonWallClockToInstant('2026-10-25', 90).toISOString()).toBe('2026-10-25T00:30:00.000Z');
    expect(londonWallClockToInstant('2027-03-28', 90).toISOString()).toBe('2027-03-28T01:30:00.000Z');
  });
});
