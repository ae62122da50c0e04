/**
 * `npm run bench`: every speed and memory figure the issues ask for, measured on this machine and
 * printed as a table (and as JSON with --json). Goals are stated beside each figure.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { benchTimelines, benchWorkdaysAdd } from './clockBench';
import { benchStoreRoundTrip } from './storeBench';
import { benchScopingReturnTurn } from './turnBench';

// dist/test/bench/run.js -> the repository's root.
const root = path.resolve(__dirname, '..', '..', '..');

interface PackageJson {
  scripts: { start: string };
}

interface Row {
  measure: string;
  value: string;
  goal?: string;
}

/** The node flags in `npm start` (e.g. the young generation's size), as the bot's process has them. */
function botNodeFlags(): string[] {
  const start = (JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as PackageJson).scripts
    .start;
  const command = start.split('&&').at(-1)?.trim().split(/\s+/) ?? [];
  return command.filter((word) => word.startsWith('--'));
}

async function main(): Promise<void> {
  const rows: Row[] = [];
  const timelines = benchTimelines(10_000);
  rows.push({ measure: 'timelines for 10,000 reviews', value: `${timelines.ms.toFixed(1)} ms` });
  const add = benchWorkdaysAdd(10_000);
  rows.push({
    measure: 'workdays add, N = 10,000',
    value: `${add.microsecondsPerCall.toFixed(2)} µs per call`,
  });
  for (const backend of ['sqlite', 'postgres'] as const) {
    try {
      const result = await benchStoreRoundTrip(backend);
      rows.push({
        measure: `store: open review + 10 scoping returns (${backend})`,
        value: `${result.msPerRoundTrip.toFixed(2)} ms per round trip`,
      });
    } catch (error) {
      rows.push({
        measure: `store round trip (${backend})`,
        value: `not measured: ${(error as Error).message}`,
      });
    }
  }
  const turn = await benchScopingReturnTurn(50, 6);
  rows.push({
    measure: `scoping-return action over HTTP, 50 concurrent (${turn.bot.requests} requests)`,
    value: `p50 ${turn.bot.p50.toFixed(1)} ms, p99 ${turn.bot.p99.toFixed(1)} ms`,
    goal: 'p99 well under 5 s',
  });
  rows.push({
    measure: 'bare botbuilder bot, same load',
    value: `p50 ${turn.bare.p50.toFixed(1)} ms, p99 ${turn.bare.p99.toFixed(1)} ms`,
  });
  rows.push({ measure: 'p99 ratio (bot / bare bot)', value: `${turn.ratio.toFixed(2)}×`, goal: '≤ 1.5×' });
  // The machine's load beside the figures: timings on a busy machine are not comparable.
  const [load1] = os.loadavg();
  rows.push({
    measure: 'every shared card updated, after the last reply',
    value: `${turn.cardsUpdatedAfterMs.toFixed(0)} ms`,
  });
  const g = turn.graphPerOpenedReview;
  rows.push({
    measure: `Graph HTTP requests to open a review with 50 agencies (${g.members} channel members)`,
    value: `${g.total} (${g.batches} of them $batch, carrying ${g.batchedCalls} calls)`,
    goal: '≤ 10',
  });
  // In a process of its own, so the resident memory is that of 10,000 open reviews and a tick alone,
  // started with the V8 flags the bot is started with (package.json's start script, the same as
  // infra/azure/main.bicep's startupCommand), plus --expose-gc to let the heap settle before reading it.
  const script = `require(${JSON.stringify(path.join(__dirname, 'alertsBench.js'))}).benchAlertTick(10000).then((r) => console.log(JSON.stringify(r)))`;
  const alerts = JSON.parse(
    execFileSync(process.execPath, [...botNodeFlags(), '--expose-gc', '-e', script], { encoding: 'utf8' })
      .trim()
      .split('\n')
      .at(-1) ?? '{}',
  );
  rows.push({ measure: 'one alert tick over 10,000 open reviews (SQLite)', value: `${alerts.tickMs} ms` });
  rows.push({ measure: 'reading those 10,000 reviews from the store alone', value: `${alerts.readMs} ms` });
  rows.push({
    measure: 'the same reviews in one listReviews call (for comparison)',
    value: `${alerts.readAllAtOnceMs} ms`,
  });
  // tickReadRatio: one quiet tick's time over the time to read the same open reviews, page by page.
  rows.push({ measure: 'tick / read ratio', value: `${Number(alerts.ratio).toFixed(2)}×`, goal: '≤ 1.5×' });
  rows.push({
    measure: 'first tick of a freshly started instance (the sweeps already recorded in the store)',
    value: `${alerts.freshInstanceTickMs} ms (two more instances after it: ${alerts.laterFreshInstanceTickMs.join(' and ')} ms)`,
    goal: '≤ 3 × one tick',
  });
  rows.push({
    measure: 'resident memory with 10,000 open reviews after a tick',
    value: `${alerts.rssMb} MB (JavaScript heap in use ${alerts.heapUsedMb} MB, external ${alerts.externalMb} MB)`,
    goal: '< 150 MB',
  });
  rows.push({
    measure: 'machine load, 1-minute average (figures are noisy above ~2 on 2 cores)',
    value: `${os.loadavg()[0].toFixed(2)}`,
  });
  if (process.argv.includes('--json')) {
    // One object, last line of output: the figures by name, then the table's rows.
    const figures = {
      cardActionP99Ms: Number(turn.bot.p99.toFixed(1)),
      bareBotP99Ms: Number(turn.bare.p99.toFixed(1)),
      cardActionP99Ratio: Number(turn.ratio.toFixed(2)),
      rssMb: Number(alerts.rssMb),
      tickMs: Number(alerts.tickMs),
      tickReadRatio: Number(Number(alerts.ratio).toFixed(2)),
      firstTickMs: Number(alerts.freshInstanceTickMs),
      graphRequestsPerReview: g.total,
      heapUsedMb: Number(alerts.heapUsedMb),
      loadAverage1m: Number(load1.toFixed(2)),
      rows,
    };
    console.log(JSON.stringify(figures));
    return;
  }
  const width = Math.max(...rows.map((r) => r.measure.length));
  for (const row of rows)
    console.log(`${row.measure.padEnd(width)}  ${row.value}${row.goal ? `  (goal: ${row.goal})` : ''}`);
}

main().catch((error: unknown) => {
  console.error(`bench: ${(error as Error).message}`);
  process.exit(1);
});
