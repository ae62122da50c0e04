/**
 * How long the store takes for the busiest moment of a review's first days: the business unit opens
 * a review with ten agencies, then each agency submits its scoping return (one locked update each),
 * then the card refresh reads the review back. Run against a throw-away database (a temp SQLite file,
 * or a fresh schema at DATABASE_URL), so a benchmark never touches real data.
 */
import type { Agency, Review, ScopingReturnAnswers } from '../../review/model';
import { submitScopingReturn } from '../../review/lifecycle';
import type { ReviewStore } from '../../review/store';
import { sampleAgencies, sampleReview } from '../fixtures/sampleReview';
import { openPostgresHarness, openSqliteHarness } from '../storeContract';

export interface StoreBenchResult {
  backend: string;
  msPerRoundTrip: number;
  iterations: number;
}

const answers: ScopingReturnAnswers = {
  involvement: 'yes',
  involvementWith: 'child and mother',
  periodFrom: '2025-09-01',
  periodTo: '2026-03-01',
  natureOfInvolvement: 'Universal services; two contacts in the period.',
  keyContacts: 'Named worker; duty team',
  recordsSecured: true,
  recordsSecuredOn: '2026-03-05',
  recordsSecuredBy: 'Records team',
  alertAdded: true,
  staffInformed: true,
  immediateActions: 'None beyond recording.',
  seniorLeadersSighted: true,
};

async function roundTrip(store: ReviewStore, run: number): Promise<void> {
  const agencies: Agency[] = sampleAgencies.map((agency) => ({ ...agency }));
  const review: Review = sampleReview({
    id: `bench-${run}`,
    reference: `RR-2026-${String(run + 1).padStart(3, '0')}`,
    agencies,
  });
  await store.createReview(review, [
    { reviewId: review.id, at: review.openedAt, actor: review.openedBy, action: 'review.opened' },
  ]);
  for (const agency of agencies) {
    const rep = agency.representatives[0];
    if (!rep) throw new Error(`sample agency ${agency.id} has no representative`);
    const outcome = await store.updateReview(review.id, (current) =>
      submitScopingReturn(
        current,
        agency.id,
        answers,
        { person: rep, businessUnit: false },
        '2026-03-06T10:00:00.000Z',
      ),
    );
    if (!outcome.ok) throw new Error(`benchmark return refused: ${outcome.reason}`);
  }
  const saved = await store.getReview(review.id);
  // A benchmark of work that silently did not happen would be worse than none.
  const submitted = saved?.scopingReturns.filter((r) => r.status === 'submitted').length;
  if (submitted !== agencies.length || saved?.version !== agencies.length + 1) {
    throw new Error(`round trip ${run} saved ${submitted} returns at version ${saved?.version}`);
  }
}

/** Average milliseconds for one round trip (create + 10 returns + read), after a short warm-up. */
export async function benchStoreRoundTrip(
  kind: 'sqlite' | 'postgres',
  options: { iterations?: number; warmUp?: number } = {},
): Promise<StoreBenchResult> {
  const iterations = options.iterations ?? 50;
  const warmUp = options.warmUp ?? 3;
  const harness = kind === 'sqlite' ? await openSqliteHarness() : await openPostgresHarness();
  try {
    for (let run = 0; run < warmUp; run += 1) await roundTrip(harness.store, run);
    const started = performance.now();
    for (let run = warmUp; run < warmUp + iterations; run += 1) await roundTrip(harness.store, run);
    const elapsed = performance.now() - started;
    return {
      backend: kind === 'sqlite' ? 'SQLite (better-sqlite3, WAL, temp file)' : 'PostgreSQL (pg pool)',
      msPerRoundTrip: Math.round((elapsed / iterations) * 1000) / 1000,
      iterations,
    };
  } finally {
    await harness.cleanup();
  }
}
