/**
 * `npm run bench`: every speed and memory figure the issues ask for, measured on this machine and
 * printed as a table (and as JSON with --json). Goals are stated beside each figure.
 */
import { benchTimelines, benchWorkdaysAdd } from './clockBench';
import { benchStoreRoundTrip } from './storeBench';

interface Row {
  measure: string;
  value: string;
  goal?: string;
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
  if (process.argv.includes('--json')) {
    console.log(JSON.stringify(rows));
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
