/** Benchmarks of the statutory clock: timelines in bulk and long working-day jumps. */
import { performance } from 'node:perf_hooks';
import { ProfileRegistry } from '../../review/profile';
import { addCalendarDays } from '../../scheduler/civilDate';
import { computeTimeline } from '../../scheduler/timeline';
import { calendarFor } from '../../scheduler/workingDayCalendar';

export function benchTimelines(count = 10_000): { reviews: number; ms: number } {
  const profiles = new ProfileRegistry();
  const all = profiles.all();
  // Warm the holiday cache so the figure is the steady state a running bot sees.
  computeTimeline({ referral: '2026-01-05', sinSent: '2026-01-05' }, all[0]);
  const start = performance.now();
  let checksum = 0;
  for (let i = 0; i < count; i++) {
    const referral = addCalendarDays('2026-01-05', i % 700);
    const timeline = computeTimeline(
      {
        referral,
        sinSent: referral,
        aware: addCalendarDays(referral, -2),
        scopingSent: addCalendarDays(referral, 1),
      },
      all[i % all.length],
    );
    checksum += timeline.milestones.length;
  }
  const ms = performance.now() - start;
  if (checksum === 0) throw new Error('no milestones computed');
  return { reviews: count, ms };
}

export function benchWorkdaysAdd(
  n = 10_000,
  iterations = 20_000,
): { n: number; microsecondsPerCall: number } {
  const calendar = calendarFor({ region: 'ENG', closureDays: [] });
  calendar.addWorkingDays('2026-01-05', n);
  const start = performance.now();
  let last = '';
  for (let i = 0; i < iterations; i++)
    last = calendar.addWorkingDays(addCalendarDays('2026-01-05', i % 365), n);
  const elapsed = performance.now() - start;
  if (!last) throw new Error('no result');
  return { n, microsecondsPerCall: (elapsed * 1000) / iterations };
}
