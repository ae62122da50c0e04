/**
 * Latency of a scoping-return card action through the real HTTP endpoint with 50 people submitting
 * at once, beside a bare botbuilder bot answering the same invoke in the same run (so the machine's
 * speed cancels out in the ratio); and Graph requests per opened review.
 */

import { performance } from 'node:perf_hooks';
import { ActivityHandler, CloudAdapter, ConfigurationBotFrameworkAuthentication } from 'botbuilder';
import { startServer } from '../../bot/server';
import { silentLogger } from '../../bot/log';
import { openReviewValues, people, scopingReturnValues, startHarness } from '../bot/harness';
import { startFakeConnector, type RosterMember } from '../teamsClient/fakeConnector';
import { TeamsClient } from '../teamsClient/teamsClient';
import { channelOf } from '../bot/meetingFixture';

export interface LatencyResult {
  requests: number;
  p50: number;
  p99: number;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

async function measure(concurrency: number, rounds: number, send: (worker: number) => Promise<void>) {
  // One unmeasured round first: JIT warm-up and each person's one-off roster look-up are not the
  // steady state a partnership sees.
  await Promise.all(Array.from({ length: concurrency }, (_, worker) => send(worker)));
  const samples: number[] = [];
  await Promise.all(
    Array.from({ length: concurrency }, async (_, worker) => {
      for (let round = 0; round < rounds; round++) {
        const start = performance.now();
        await send(worker);
        samples.push(performance.now() - start);
      }
    }),
  );
  samples.sort((a, b) => a - b);
  return { requests: samples.length, p50: percentile(samples, 50), p99: percentile(samples, 99) };
}

/** The same invoke answered by a bare botbuilder bot: the floor any bot on this stack pays. */
async function bareEchoBot() {
  const adapter = new CloudAdapter(new ConfigurationBotFrameworkAuthentication({}));
  class EchoBot extends ActivityHandler {
    protected override async onAdaptiveCardInvoke() {
      return {
        statusCode: 200,
        type: 'application/vnd.microsoft.card.adaptive',
        value: { type: 'AdaptiveCard', version: '1.5', body: [{ type: 'TextBlock', text: 'Received' }] },
      };
    }
  }
  const bot = new EchoBot();
  return startServer({
    host: '127.0.0.1',
    port: 0,
    log: silentLogger,
    ready: async () => true,
    processActivity: (req, res) => adapter.process(req as never, res as never, (context) => bot.run(context)),
  });
}

export async function benchScopingReturnTurn(submitters = 50, rounds = 6) {
  // 50 agencies, each with its own representative, so every submitter is authorised.
  const reps: RosterMember[] = Array.from({ length: submitters }, (_, i) => ({
    id: `29:rep-${i}`,
    aadObjectId: `10000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
    name: `Representative ${i + 1}`,
    email: `rep${i + 1}@agency${i + 1}.example`,
  }));
  const h = await startHarness();
  h.addPeople(reps);
  const kinds = ['local-authority', 'police', 'icb'];
  const agencies: Record<string, string> = {};
  for (let i = 1; i <= submitters; i++) {
    agencies[`agency${i}Name`] = `Agency ${i}`;
    agencies[`agency${i}Kind`] = kinds[i - 1] ?? 'other';
    agencies[`agency${i}Rep1Name`] = reps[i - 1].name;
    agencies[`agency${i}Rep1Email`] = reps[i - 1].email;
  }
  const blank = Object.fromEntries(
    Object.keys(openReviewValues())
      .filter((k) => /^agency\d/.test(k))
      .map((k) => [k, '']),
  );
  const graphBefore = h.sandbox.requests.length;
  await h.client.act(people.officer, 'review.open', { ...openReviewValues(), ...blank, ...agencies });
  await h.app.idle();
  const graphRequests = h.sandbox.requests.slice(graphBefore);
  const review = await h.app.deps.store.findByReference('RR-2026-001');
  if (!review || review.agencies.length !== submitters)
    throw new Error('the benchmark review was not opened');
  const values = scopingReturnValues();
  // Scoping cards are acted on in their review's channel, as Teams sends them; each representative
  // sends their next revision, as their refreshed card would.
  const where = channelOf(review);
  const revisions = new Array<number>(submitters).fill(0);
  const bot = await measure(submitters, rounds, async (worker) => {
    const result = await h.client.act(
      reps[worker],
      'scopingReturn.submit',
      {
        reviewId: review.id,
        agencyId: review.agencies[worker].id,
        ...values,
        revision: String(revisions[worker]++),
      },
      where,
    );
    if (result.status !== 200) throw new Error(`submission answered ${result.status}`);
  });
  // Each submission also updates its agency's shared card, after the reply: how long after the last
  // reply every card is up to date.
  const lastReply = performance.now();
  await h.app.idle();
  const cardsUpdatedAfterMs = performance.now() - lastReply;
  const saved = await h.app.deps.store.getReview(review.id);
  const savedRevisions = saved?.scopingReturns.reduce((n, r) => n + r.revision, 0);
  if (savedRevisions !== submitters * (rounds + 1))
    throw new Error(`expected ${submitters * (rounds + 1)} saved returns, got ${savedRevisions}`);
  await h.close();

  const echo = await bareEchoBot();
  const connector = await startFakeConnector(reps);
  const client = new TeamsClient({ botUrl: echo.url, connector, tenantId: 't', botId: '28:echo' });
  const bare = await measure(submitters, rounds, async (worker) => {
    const result = await client.act(reps[worker], 'scopingReturn.submit', { ...values }, where);
    if (result.status !== 200) throw new Error(`echo answered ${result.status}`);
  });
  await echo.close();
  await connector.close();

  // Requests sent inside a $batch travel in the batch's one HTTP request: count HTTP requests.
  const http = graphRequests.filter((r) => !r.batched);
  const opened = {
    batches: http.filter((r) => /\/\$batch$/.test(r.path)).length,
    batchedCalls: graphRequests.filter((r) => r.batched).length,
    members: review.teamspace.membersAdded.length,
    total: http.length,
  };
  return { bot, bare, ratio: bot.p99 / bare.p99, cardsUpdatedAfterMs, graphPerOpenedReview: opened };
}
