/**
 * The `timeline` command's promise, for every profile and any order of the review's dates: every
 * statutory milestone on a working day, scoping returns due before the meeting window closes, the
 * window closing no later than the review is due to complete, and a meeting on the window's last
 * day leaving the report due no later than that (issue 11, "Must show").
 */
import fc from 'fast-check';
import { ProfileRegistry } from '../review/profile';
import { addCalendarDays } from '../scheduler/civilDate';
import { calendarFor } from '../scheduler/workingDayCalendar';
import { runCli } from './main';

const registry = new ProfileRegistry();
const required = [
  'sin-due',
  'scoping-requests-sent',
  'scoping-returns-due',
  'meeting-window-opens',
  'meeting-window-closes',
  'review-complete',
  'panel-report-due',
  'panel-deadline',
] as const;

interface JsonMilestone {
  key: string;
  due: string | null;
  workingDay: number | null;
}

async function timeline(argv: string[]): Promise<Record<string, JsonMilestone>> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(['timeline', ...argv, '--json'], {
    out: (l) => out.push(l),
    err: (l) => err.push(l),
  });
  if (code !== 0) throw new Error(`timeline ${argv.join(' ')}: exit ${code}: ${err.join('\n')}`);
  const parsed = JSON.parse(out.join('\n')) as { milestones: JsonMilestone[] };
  return Object.fromEntries(parsed.milestones.map((m) => [m.key, m]));
}

/** Any day of 2026–2028, weekends and bank holidays included. */
const day = fc.integer({ min: 0, max: 3 * 365 }).map((n) => addCalendarDays('2026-01-01', n));

describe('rapid-review timeline: clocks that fit together, for every profile and any order of dates', () => {
  it('gives every milestone on a working day, returns before the window closes, the window and a last-day meeting’s report no later than completion', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...registry.ids()),
        day,
        day,
        day,
        fc.option(day, { nil: undefined }),
        async (profileId, aware, sin, referral, scopingSent) => {
          const calendar = calendarFor(registry.get(profileId).calendar);
          const argv = ['--profile', profileId, '--aware', aware, '--sin', sin, '--referral', referral];
          if (scopingSent) argv.push('--scoping-sent', scopingSent);
          const m = await timeline(argv);
          for (const key of required) {
            const due = m[key]?.due;
            expect({ key, due, working: due ? calendar.isWorkingDay(due) : false }).toEqual({
              key,
              due: expect.any(String),
              working: true,
            });
          }
          const date = (key: (typeof required)[number]) => m[key].due as string;
          expect(date('scoping-returns-due') < date('meeting-window-closes')).toBe(true);
          expect(date('meeting-window-closes') <= date('review-complete')).toBe(true);
          expect(date('meeting-window-opens') <= date('meeting-window-closes')).toBe(true);
          // Without --meeting the report is planned from a meeting on the window's last day …
          expect(date('panel-report-due') <= date('review-complete')).toBe(true);
          // … and with the meeting recorded on that day it is the same.
          const held = await timeline([...argv, '--meeting', date('meeting-window-closes')]);
          expect((held['panel-report-due'].due as string) <= date('review-complete')).toBe(true);
        },
      ),
      { numRuns: 150 },
    );
  });
});
