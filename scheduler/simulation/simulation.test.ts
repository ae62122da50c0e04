/**
 * A small run of the alert simulation on both stores: 20 reviews over 20 days across Christmas 2026,
 * two instances killed and restarted at random (with kills made frequent so every kind of death
 * happens), and not one alert posted twice, missed, or posted on a day off.
 */
import { loadProfiles } from '../../review/profile';
import { isAlertTime } from '../alerts';
import { runSimulation, type SimulationReport } from './run';

const profiles = [...loadProfiles().values()];

async function run(store: 'sqlite' | 'postgres'): Promise<SimulationReport> {
  return runSimulation({
    reviews: 20,
    days: 20,
    instances: 2,
    start: '2026-12-14',
    store,
    seed: 7,
    profiles,
    // Hourly steps keep the test quick; the command line steps every half hour.
    stepMinutes: 60,
    killChance: { perStep: 0.01, afterClaim: 0.03, afterPost: 0.02 },
    failChance: 0.02,
  });
}

function expectNoAlertLostOrDoubled(report: SimulationReport): void {
  expect(report.due).toBeGreaterThan(100);
  expect(report.duplicates).toBe(0);
  expect(report.missed).toBe(0);
  expect(report.missedKeys).toEqual([]);
  expect(report.outsideAlertTime).toBe(0);
  expect(report.unexpected).toBe(0);
  expect(report.identifying).toBe(0);
  // The run really did kill instances between a post landing and markSent, and reconcile them.
  expect(report.kills.betweenPostAndMarkSent).toBeGreaterThan(0);
  expect(report.reconciled).toBeGreaterThan(0);
  // Every posted alert appears once, and none on 25 or 28 Dec or 1 Jan.
  expect(new Set(report.sent.map((s) => s.key)).size).toBe(report.sent.length);
  const england = profiles.find((p) => p.id === 'england');
  for (const sent of report.sent) {
    expect(['2026-12-25', '2026-12-26', '2026-12-27', '2026-12-28', '2027-01-01']).not.toContain(
      sent.at.slice(0, 10),
    );
    if (england) expect(isAlertTime(england, new Date(sent.at))).toBe(true);
  }
}

describe('alert simulation', () => {
  it('SQLite: two instances sharing the file post every alert exactly once', async () => {
    expectNoAlertLostOrDoubled(await run('sqlite'));
  }, 30_000);

  const postgres = process.env.RR_SKIP_POSTGRES === '1' ? it.skip : it;
  postgres(
    'PostgreSQL: two instances with their own pools post every alert exactly once',
    async () => {
      expectNoAlertLostOrDoubled(await run('postgres'));
    },
    60_000,
  );
});
