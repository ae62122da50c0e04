/**
 * `npm run demo`: a scripted Rapid Review with no browser. It starts the real bot, the local Graph
 * sandbox and a fake Teams connector, plays Teams by posting Teams-shaped activities from different
 * people to /api/messages, and prints a readable transcript (or a JSON summary with --json).
 *
 *   npm run demo -- [--json] [--graph-log FILE]
 */
import fs from 'node:fs';
import { parseArgs } from 'node:util';
import { cardOf, type InvokeResult } from '../teamsClient/teamsClient';
import { playMeetingLifecycle } from './meetingScript';
import {
  openReviewValues,
  people,
  scopingReturnValues,
  startHarness,
  teamId,
  type Harness,
} from '../bot/harness';

type Card = { body?: unknown[] };

/** The headline of a card and any problems it lists: enough to follow the story. */
export function describeCard(card: unknown): string {
  const texts: string[] = [];
  const walk = (node: unknown) => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (node && typeof node === 'object') {
      const item = node as Record<string, unknown>;
      if (item.type === 'TextBlock' && typeof item.text === 'string') texts.push(item.text);
      for (const key of ['body', 'items', 'columns']) if (key in item) walk(item[key]);
    }
  };
  walk((card as Card)?.body ?? []);
  const problems = texts.filter((t) => t.startsWith('• '));
  // A refusal's title says little on its own; its reason is the next line.
  const headline = texts[0] === 'Not done' && texts[1] ? `Not done: ${texts[1]}` : (texts[0] ?? '(card)');
  return problems.length > 0 ? `${headline}\n      ${problems.join('\n      ')}` : headline;
}

function replyCard(h: Harness, since: number): unknown {
  const reply = h.connector.activities.slice(since).find((a) => a.kind === 'reply' || a.kind === 'send');
  const attachments = reply?.activity.attachments as { content?: unknown }[] | undefined;
  return attachments?.[0]?.content ?? reply?.activity.text;
}

export async function runDemo(options: {
  json: boolean;
  graphLog?: string;
}): Promise<Record<string, unknown>> {
  if (options.graphLog) fs.writeFileSync(options.graphLog, '');
  const h = await startHarness({ graphLog: options.graphLog });
  const lines: string[] = [];
  const say = (line: string) => {
    lines.push(line);
    if (!options.json) console.log(line);
  };
  const shown = (result: InvokeResult) => describeCard(cardOf(result));
  try {
    say('— Rapid Review Bot demo: fictitious people, a local Graph sandbox, a fake Teams connector —');
    let mark = h.connector.activities.length;
    say(`${people.officer.name} (business unit, 1:1 chat): open review`);
    await h.client.say(people.officer, 'open review');
    say(`  bot: ${describeCard(replyCard(h, mark))}`);

    say(`${people.officer.name} submits the form for RR-2026-001 (Child A), 4 agencies`);
    say(`  bot: ${shown(await h.client.act(people.officer, 'review.open', openReviewValues()))}`);
    await h.app.idle();
    const review = await h.app.deps.store.findByReference('RR-2026-001');
    if (!review) throw new Error('the review was not opened');
    const channelId = review.teamspace.channelId as string;
    const channel = { kind: 'channel' as const, channelId, teamId };
    say(
      `  Graph: channel '${review.reference}' created (${channelId}), ${review.teamspace.membersAdded.length} members`,
    );
    say(
      `  Teams: ${h.connector.activities.filter((a) => a.kind === 'create').length} new threads in the channel (welcome + one scoping request per agency)`,
    );

    const police = review.agencies.find((a) => a.kind === 'police');
    const la = review.agencies.find((a) => a.kind === 'local-authority');
    if (!police || !la) throw new Error('the demo needs police and local-authority agencies');
    say(`${people.policeRep.name} (police) opens the police scoping card`);
    say(
      `  bot: ${shown(await h.client.act(people.policeRep, 'scopingReturn.refresh', { reviewId: review.id, agencyId: police.id }, channel))}`,
    );
    say(`${people.policeRep.name} submits without the date records were secured, and an inverted period`);
    const invalid = scopingReturnValues({
      recordsSecuredOn: '',
      periodFrom: '2026-11-30',
      periodTo: '2025-06-01',
    });
    say(
      `  bot: ${shown(await h.client.act(people.policeRep, 'scopingReturn.submit', { reviewId: review.id, agencyId: police.id, ...invalid }, channel))}`,
    );
    say(`${people.policeRep.name} corrects and submits`);
    say(
      `  bot: ${shown(await h.client.act(people.policeRep, 'scopingReturn.submit', { reviewId: review.id, agencyId: police.id, ...scopingReturnValues() }, channel))}`,
    );
    say(`${people.schoolRep.name} (school) tries to edit the police return`);
    say(
      `  bot: ${shown(await h.client.act(people.schoolRep, 'scopingReturn.submit', { reviewId: review.id, agencyId: police.id, ...scopingReturnValues() }, channel))}`,
    );
    say(`${people.laRep.name} (local authority) submits a return: no involvement`);
    const none = scopingReturnValues({
      involvement: 'no',
      involvementWith: '',
      periodFrom: '',
      periodTo: '',
      natureOfInvolvement: '',
      keyContacts: '',
    });
    say(
      `  bot: ${shown(await h.client.act(people.laRep, 'scopingReturn.submit', { reviewId: review.id, agencyId: la.id, ...none }, channel))}`,
    );

    mark = h.connector.activities.length;
    say(`${people.officer.name} in the review channel: @Rapid Review status`);
    await h.client.say(people.officer, 'status', channel);
    say(`  bot: ${describeCard(replyCard(h, mark))}`);
    mark = h.connector.activities.length;
    say(`${people.officer.name} in a 1:1 chat: status`);
    await h.client.say(people.officer, 'status');
    say(`  bot: ${describeCard(replyCard(h, mark))}`);

    mark = h.connector.activities.length;
    const alerts = await h.app.runAlerts?.();
    say(`Alert tick at 10:00 on Wed 2 Dec: ${alerts?.sent ?? 0} alert(s) posted`);
    for (const posted of h.connector.activities.slice(mark)) {
      const text = String(
        posted.activity.text ??
          describeCard((posted.activity.attachments as { content?: unknown }[])?.[0]?.content),
      );
      say(`  bot: ${text.split('\n')[0]}`);
    }

    const meeting = await playMeetingLifecycle({ h, reviewId: review.id, transcript: say });

    const finalReview = await h.app.deps.store.getReview(review.id);
    const graphErrors = h.sandbox.requests.filter((r) => r.status === 400).length;
    // Asking for the attendance report before Teams has made it (404) is how the bot finds out.
    const refused = h.sandbox.requests.filter(
      (r) => r.status >= 400 && !(r.status === 404 && /\/attendanceReports$/.test(r.path)),
    ).length;
    const http = h.sandbox.requests.filter((r) => !r.batched).length;
    say(
      `Graph: ${http} HTTP requests carrying ${h.sandbox.requests.length - http} batched calls; ` +
        `${refused} refused by the tenant (${graphErrors} by the metadata check)`,
    );
    return {
      reviews: [
        {
          ref: finalReview?.reference,
          referral: finalReview?.anchors.referral,
          channelId,
          state: finalReview?.state,
          returns: Object.fromEntries((finalReview?.scopingReturns ?? []).map((r) => [r.agencyId, r.status])),
          meetingStart: meeting.meetingStart,
          quorate: meeting.quorate,
          outcome: meeting.outcome,
          reportPath: meeting.reportPath,
          nationalImportance: meeting.nationalImportance,
          reportSent: meeting.reportSent,
        },
      ],
      graphRequests: h.sandbox.requests.length,
      graphRejected: graphErrors,
      graphRefused: refused,
    };
  } finally {
    await h.close();
  }
}

if (require.main === module) {
  const { values } = parseArgs({
    options: { json: { type: 'boolean' }, 'graph-log': { type: 'string' } },
    strict: true,
  });
  runDemo({ json: Boolean(values.json), graphLog: values['graph-log'] })
    .then((summary) => {
      if (values.json) console.log(JSON.stringify(summary, null, 2));
    })
    .catch((error: unknown) => {
      console.error(`demo: ${(error as Error).message}`);
      process.exit(1);
    });
}
