/**
 * `rapid-review simulate`: runs the alert pipeline over invented reviews on a fake clock, with
 * instances killed and restarted at random, and says whether any alert was posted twice, missed, or
 * posted outside working days and hours. It uses a throw-away database (a temp SQLite file, or a fresh
 * schema at DATABASE_URL) and never touches Teams.
 */
import { parseArgs } from 'node:util';
import type { ProfileRegistry } from '../review/profile';
import { parseCivilDate } from '../scheduler/civilDate';
import { daysOff, runSimulation, type SimulationReport } from '../scheduler/simulation/run';
import { UsageError, type CliIo } from './usage';

function whole(text: string | undefined, field: string, fallback: number, min: number, max: number): number {
  if (text === undefined) return fallback;
  const n = Number(text);
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new UsageError(`${field}: must be a whole number from ${min} to ${max} (got '${text}')`);
  }
  return n;
}

export function summary(report: SimulationReport, holidays: string[]): string[] {
  const kinds = Object.entries(report.sentByKind)
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([kind, n]) => `    ${kind}: ${n}`);
  return [
    `simulated ${report.reviews} reviews over ${report.days} days from ${report.start} with ${report.instances} ` +
      `instance(s) on ${report.store} (seed ${report.seed}) in ${report.seconds.toFixed(1)} s`,
    `  days off in the run: ${holidays.length} (${holidays.join(', ')})`,
    `  alerts due: ${report.due}; posted: ${report.sent.length} (late: ${report.late})`,
    `  duplicates: ${report.duplicates}`,
    `  missed: ${report.missed}${report.missedKeys.length > 0 ? ` (${report.missedKeys.join('; ')})` : ''}`,
    `  posted on a weekend, bank holiday or before the alert hour: ${report.outsideAlertTime}`,
    `  posted but never due: ${report.unexpected}`,
    `  posts naming a child, family member or address: ${report.identifying}`,
    `  earlier countdowns superseded after downtime: ${report.skipped}`,
    `  withdrawn (milestone met before they could be posted): ${report.withdrawn}`,
    `  kills: ${report.kills.betweenTicks} between ticks, ${report.kills.afterClaim} right after a claim, ` +
      `${report.kills.betweenPostAndMarkSent} between a post and markSent`,
    `  found in Teams after a kill and not posted again: ${report.reconciled}; failed posts retried: ${report.failedPosts}`,
    '  posted by kind:',
    ...kinds,
  ];
}

export async function simulateCommand(args: string[], io: CliIo, registry: ProfileRegistry): Promise<void> {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args,
      options: {
        reviews: { type: 'string' },
        days: { type: 'string' },
        instances: { type: 'string' },
        start: { type: 'string' },
        store: { type: 'string' },
        seed: { type: 'string' },
        json: { type: 'boolean' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    throw new UsageError(`simulate: ${(error as Error).message.split('\n')[0]}`);
  }
  const store = (values.store as string | undefined) ?? 'sqlite';
  if (store !== 'sqlite' && store !== 'postgres') {
    throw new UsageError(`--store: must be sqlite or postgres (got '${store}')`);
  }
  let start: string;
  try {
    start = parseCivilDate((values.start as string | undefined) ?? '2026-12-01', '--start');
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const profiles = registry.all();
  const report = await runSimulation({
    reviews: whole(values.reviews as string | undefined, '--reviews', 20, 1, 100_000),
    days: whole(values.days as string | undefined, '--days', 20, 1, 366),
    instances: whole(values.instances as string | undefined, '--instances', 2, 1, 16),
    seed: whole(values.seed as string | undefined, '--seed', 1, 0, 2 ** 31 - 1),
    start,
    store,
    profiles,
  });
  if (values.json) {
    io.out(
      JSON.stringify({
        sent: report.sent,
        missed: report.missed,
        duplicates: report.duplicates,
        late: report.late,
        outsideAlertTime: report.outsideAlertTime,
        skipped: report.skipped,
        withdrawn: report.withdrawn,
        unexpected: report.unexpected,
        kills: report.kills,
        seconds: report.seconds,
      }),
    );
    return;
  }
  const england = registry.has('england')
    ? registry.get('england')
    : (profiles[0] as (typeof profiles)[number]);
  for (const line of summary(report, daysOff(report.start, report.days, england))) io.out(line);
}
