import { availabilityView, epochMsToWallTime, ianaZone, wallTimeToEpochMs } from './freeBusy';

describe('wall-clock times in Outlook time zones', () => {
  it('reads London wall time in summer (BST) and winter (GMT)', () => {
    expect(new Date(wallTimeToEpochMs('2026-07-01T10:00:00', 'GMT Standard Time')).toISOString()).toBe(
      '2026-07-01T09:00:00.000Z',
    );
    expect(new Date(wallTimeToEpochMs('2026-12-01T10:00:00', 'Europe/London')).toISOString()).toBe(
      '2026-12-01T10:00:00.000Z',
    );
  });

  it('crosses the October clock change correctly', () => {
    // 25 October 2026: clocks go back at 02:00 BST; 03:00 that day is already GMT.
    expect(new Date(wallTimeToEpochMs('2026-10-25T03:00:00', 'GMT Standard Time')).toISOString()).toBe(
      '2026-10-25T03:00:00.000Z',
    );
    expect(new Date(wallTimeToEpochMs('2026-10-24T23:00:00', 'GMT Standard Time')).toISOString()).toBe(
      '2026-10-24T22:00:00.000Z',
    );
  });

  it('takes a dateTime with its own offset as written, and renders as Outlook does', () => {
    const ms = wallTimeToEpochMs('2026-07-01T10:00:00Z', 'Pacific Standard Time');
    expect(epochMsToWallTime(ms, 'UTC')).toBe('2026-07-01T10:00:00.0000000');
    expect(epochMsToWallTime(ms, 'GMT Standard Time')).toBe('2026-07-01T11:00:00.0000000');
  });

  it('knows Windows and IANA names and rejects others', () => {
    expect(ianaZone('GMT Standard Time')).toBe('Europe/London');
    expect(ianaZone('Europe/Paris')).toBe('Europe/Paris');
    expect(ianaZone('Middle Earth Time')).toBeUndefined();
    expect(() => wallTimeToEpochMs('2026-07-01T10:00:00', 'Middle Earth Time')).toThrow(RangeError);
  });
});

describe('availabilityView', () => {
  const at = (hhmm: string) => Date.parse(`2026-09-01T${hhmm}:00Z`);

  it('gives each slice the least available status overlapping it', () => {
    const view = availabilityView(
      [
        { startMs: at('09:00'), endMs: at('09:45'), status: 'tentative' },
        { startMs: at('09:30'), endMs: at('10:00'), status: 'busy' },
        { startMs: at('10:10'), endMs: at('10:20'), status: 'oof' },
        { startMs: at('10:30'), endMs: at('11:00'), status: 'workingElsewhere' },
      ],
      at('09:00'),
      at('11:30'),
      30,
    );
    expect(view).toBe('12340');
  });

  it('ends an item exactly on a slice boundary without touching the next slice', () => {
    expect(
      availabilityView(
        [{ startMs: at('09:00'), endMs: at('09:30'), status: 'busy' }],
        at('09:00'),
        at('10:00'),
        15,
      ),
    ).toBe('2200');
  });
});
