/**
 * Opening a review as a real Microsoft 365 tenant allows it (issue 10): the strict Graph sandbox and
 * fake Teams connector refuse what a tenant refuses, and these tests show the bot takes the lawful
 * path — people by object id, team before channel, the app enabled in the channel and Teams' install
 * event before any post, bulk and batched calls, and only the permissions the app declares.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { SandboxRequest } from '../graph-sandbox/graphSandbox';
import { cardOf } from '../teamsClient/teamsClient';
import {
  graphHttpRequests,
  openReviewValues,
  people,
  reviewChannels,
  startHarness,
  type Harness,
} from './harness';

const repoRoot = path.resolve(__dirname, '../..');
const declared = JSON.parse(fs.readFileSync(path.join(repoRoot, 'infra/graph-permissions.json'), 'utf8')) as {
  application: { name: string }[];
};
const manifest = JSON.parse(fs.readFileSync(path.join(repoRoot, 'infra/teams/manifest.json'), 'utf8')) as {
  authorization: { permissions: { resourceSpecific: { name: string }[] } };
};
/** Exactly what the app asks a tenant for: its manifest's RSC and its Graph application permissions. */
const declaredGrants = [
  ...manifest.authorization.permissions.resourceSpecific.map((permission) => permission.name),
  ...declared.application.map((permission) => permission.name),
  'ApplicationAccessPolicy',
];

function textOf(value: unknown): string {
  return JSON.stringify(value ?? {});
}

/** Graph requests, with the ones sent inside a $batch listed in place of the batch. */
function calls(requests: readonly SandboxRequest[]): SandboxRequest[] {
  return requests.filter((request) => !/\/\$batch$/.test(request.path.split('?')[0]));
}

describe('opening a review on a strict tenant', () => {
  let h: Harness;

  afterEach(async () => {
    await h.close();
  });

  async function open(overrides: Record<string, string> = {}) {
    const result = await h.client.act(people.officer, 'review.open', openReviewValues(overrides));
    await h.app.idle();
    return { result, review: await h.app.deps.store.findByReference(overrides.reference ?? 'RR-2026-001') };
  }

  it('needs no permission the app does not declare (listing channels needs ChannelSettings.Read.Group)', async () => {
    h = await startHarness();
    h.sandbox.setGrants(declaredGrants);
    const { review } = await open();

    expect(review?.state).toBe('scoping');
    expect(h.sandbox.requests.filter((request) => request.status === 403)).toEqual([]);
    expect(h.sandbox.requests.some((request) => /\/channels\?/.test(request.path))).toBe(true);
  });

  it('refuses to work without a grant, naming it, and says so to the business unit', async () => {
    h = await startHarness();
    h.sandbox.revoke('Channel.Create.Group');
    const { review } = await open();

    expect(review?.state).toBe('opened');
    const refused = h.sandbox.requests.filter((request) => request.status === 403);
    expect(refused.length).toBeGreaterThan(0);
    expect(reviewChannels(h)).toEqual([]);
    // The officer is told in the chat the review was opened from (a reply there), not left guessing.
    const told = h.connector.activities.filter((activity) =>
      activity.conversationId.startsWith('a:personal-'),
    );
    expect(textOf(told.at(-1)?.activity)).toContain('did not finish');
  });

  it('does not record the business unit as told when telling it failed, and tells it on the next run', async () => {
    h = await startHarness();
    h.sandbox.revoke('Channel.Create.Group');
    // The officer's chat is unreachable when set-up stops: the bot's reply there fails.
    h.connector.failNext('reply', 1, 403);
    const { review } = await open();
    expect(review?.teamspace.setupBlocked).toBeUndefined();
    const told = () =>
      h.connector.activities.filter((activity) => activity.conversationId.startsWith('a:personal-'));
    expect(told()).toHaveLength(0);

    await h.app.runUpkeep?.();
    await h.app.idle();
    expect(textOf(told().at(-1)?.activity)).toContain('did not finish');
    expect((await h.app.deps.store.findByReference('RR-2026-001'))?.teamspace.setupBlocked).toContain(
      'did not finish',
    );
  });

  it('finds people by object id, adds them to the team before the private channel, enables the app, then posts', async () => {
    h = await startHarness();
    const { review } = await open();
    if (!review) throw new Error('not opened');
    const log = calls(h.sandbox.requests).map((request) => `${request.method} ${request.path.split('?')[0]}`);

    // Everyone named is recorded with their Entra object id, guests included.
    for (const agency of review.agencies) {
      for (const person of agency.representatives) expect(person.aadObjectId).toMatch(/^[0-9a-f-]{36}$/);
    }
    const teamAdd = log.findIndex((line) => /\/teams\/[^/]+\/members\/add$/.test(line));
    const create = log.findIndex((line) => /^POST \/v1\.0\/teams\/[^/]+\/channels$/.test(line));
    const enable = log.findIndex((line) => /\/enabledApps\/\$ref$/.test(line));
    const memberAdd = log.findIndex((line) => /\/channels\/[^/]+\/members$/.test(line));
    expect(teamAdd).toBeGreaterThanOrEqual(0);
    expect(teamAdd).toBeLessThan(create);
    expect(create).toBeLessThan(enable);
    expect(enable).toBeLessThan(memberAdd);
    // A private channel's app is enabled through the beta endpoint (v1.0 allows shared channels only).
    expect(log[enable]).toMatch(/^POST \/beta\//);
    // Every bind names an object id, never an e-mail.
    const bodies = textOf(h.sandbox.requests.map((request) => request.body));
    expect(bodies).not.toMatch(/users\('[^']*@/);

    // Guests are team members now, and in the channel.
    const channelId = review.teamspace.channelId as string;
    const members = h.sandbox.state.members[channelId].map((member) => member.userId);
    expect(members).toEqual(
      expect.arrayContaining([people.policeRep.aadObjectId, people.icbRep.aadObjectId]),
    );
    expect(h.sandbox.appEnabledInChannel(channelId)).toBe(true);
    // Teams refused no post: nothing was sent into the channel before the bot was in it.
    const threads = h.connector.activities.filter((activity) => activity.kind === 'create');
    expect(threads).toHaveLength(1 + review.agencies.length);
    expect(review.teamspace.appInstalled).toBe(true);
  });

  it('points out on the form anyone the directory does not know, and saves nothing', async () => {
    h = await startHarness();
    const { result, review } = await open({ agency4Rep1Email: 'nobody@unknown.example' });

    expect(review).toBeUndefined();
    const card = textOf(cardOf(result));
    expect(card).toContain('partnership’s directory');
    expect(card).toContain('guest');
    expect(reviewChannels(h)).toEqual([]);
  });

  it('saves the review when the directory is down at opening, says who is missing, and finishes once they are invited', async () => {
    h = await startHarness();
    // The directory does not answer while the officer waits: the review is saved all the same.
    h.sandbox.injectFaults({ method: 'GET', path: /^\/v1\.0\/users\?/ }, [{ status: 500 }]);
    const newcomer = {
      id: '29:newcomer',
      aadObjectId: '30000000-0000-4000-8000-000000000001',
      name: 'Nia Newcomer',
      email: 'nia.newcomer@school.example',
    };
    const { result, review } = await open({
      agency4Rep1Name: newcomer.name,
      agency4Rep1Email: newcomer.email,
    });
    expect(textOf(cardOf(result))).not.toContain('directory');
    expect(review?.state).toBe('opened');
    // Set-up looked again, found everyone but the newcomer, and said so plainly, once.
    const told = () =>
      h.connector.activities
        .filter((activity) => activity.conversationId.startsWith('a:personal-'))
        .map((activity) => textOf(activity.activity));
    expect(told().filter((text) => text.includes('not in the partnership'))).toHaveLength(1);
    expect(told().at(-1)).toContain('Nia Newcomer');
    expect(told().at(-1)).toContain('guest');
    expect(reviewChannels(h)).toEqual([]);
    await h.app.runUpkeep?.();
    await h.app.idle();
    expect(told().filter((text) => text.includes('not in the partnership'))).toHaveLength(1);

    // The business unit invites her as a guest; the bot's upkeep finishes the review by itself.
    h.addPeople([newcomer]);
    await h.app.runUpkeep?.();
    await h.app.idle();
    const ready = await h.app.deps.store.findByReference('RR-2026-001');
    expect(ready?.state).toBe('scoping');
    expect(told().at(-1)).toContain('is ready');
  });

  it('opens a review for fifty agencies in at most ten Graph requests', async () => {
    h = await startHarness();
    const reps = Array.from({ length: 50 }, (_, index) => ({
      id: `29:bulk-${index}`,
      aadObjectId: `20000000-0000-4000-8000-${String(index).padStart(12, '0')}`,
      name: `Representative ${index + 1}`,
      email: `rep${index + 1}@agency${index + 1}.example`,
    }));
    h.addPeople(reps);
    const kinds = ['local-authority', 'police', 'icb'];
    const agencies: Record<string, string> = {};
    for (const [index, rep] of reps.entries()) {
      agencies[`agency${index + 1}Name`] = `Agency ${index + 1}`;
      agencies[`agency${index + 1}Kind`] = kinds[index] ?? 'other';
      agencies[`agency${index + 1}Rep1Name`] = rep.name;
      agencies[`agency${index + 1}Rep1Email`] = rep.email;
    }
    const blank = Object.fromEntries(
      Object.keys(openReviewValues())
        .filter((key) => /^agency\d/.test(key))
        .map((key) => [key, '']),
    );
    const { review } = await open({ ...blank, ...agencies });

    expect(review?.agencies).toHaveLength(50);
    expect(review?.state).toBe('scoping');
    const requests = graphHttpRequests(h);
    process.stdout.write(`Graph HTTP requests to open a review with 50 agencies: ${requests}\n`);
    expect(requests).toBeLessThanOrEqual(10);
    expect(h.sandbox.state.members[review?.teamspace.channelId as string]).toHaveLength(51);
  });
});
