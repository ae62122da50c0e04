/**
 * Issue 12, the data's whole life: the business unit exports one review from its channel as a file for
 * a subject access request or the LCSPR reviewer — everything held, decrypted, named by reference, in
 * the secure reports folder, audited; nobody else can, and the refusal is audited too.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Review } from '../../review/model';
import type { Where } from '../teamsClient/teamsClient';
import { openReviewValues, people, startHarness, teamId, type Harness } from './harness';

describe('export of one review from its channel', () => {
  let h: Harness;
  let review: Review;
  let where: Where;
  let reportsDir: string;

  beforeEach(async () => {
    h = await startHarness();
    reportsDir = path.join(h.dataDir, 'reports');
    await h.client.act(people.officer, 'review.open', openReviewValues());
    await h.app.idle();
    review = (await h.app.deps.store.findByReference('RR-2026-001')) as Review;
    where = { kind: 'channel', channelId: review.teamspace.channelId as string, teamId };
  });
  afterEach(async () => h.close());

  async function replyTo(user: (typeof people)[keyof typeof people], text: string) {
    const before = h.connector.activities.length;
    await h.client.say(user, text, where);
    await h.app.idle();
    return JSON.stringify(
      h.connector.activities.slice(before).find((a) => a.kind === 'reply')?.activity ?? {},
    );
  }

  const exports = () => (fs.existsSync(reportsDir) ? fs.readdirSync(reportsDir) : []);

  it('writes everything held, decrypted, to a file named by the reference, readable by its owner alone', async () => {
    const reply = await replyTo(people.officer, 'export');
    const files = exports();
    expect(files).toEqual([expect.stringMatching(/^RR-2026-001-export-\d{8}T\d{6}Z\.json$/)]);
    expect(reply).toContain(files[0]);
    // The reply names the file, never the child.
    expect(reply).not.toContain('Zebedee');
    const file = path.join(reportsDir, files[0] as string);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    const document = JSON.parse(fs.readFileSync(file, 'utf8'));
    expect(document).toMatchObject({ kind: 'rapid-review-export', reference: 'RR-2026-001' });
    expect(document.review.subject).toMatchObject({
      childName: 'Zebedee Quartermaine',
      dateOfBirth: '2015-04-02',
    });
    expect(document.auditTrail.length).toBeGreaterThan(0);

    const trail = await h.app.deps.store.auditTrail(review.id);
    expect(trail.filter((e) => e.action === 'review.exported')).toEqual([
      expect.objectContaining({
        actor: expect.objectContaining({ aadObjectId: people.officer.aadObjectId }),
        detail: { file: files[0], auditLines: document.auditTrail.length },
      }),
    ]);
  });

  it('refuses anyone outside the business unit, writes nothing, and audits the attempt', async () => {
    const reply = await replyTo(people.policeRep, 'export');
    expect(reply).toContain('Only the business unit exports a review');
    expect(exports()).toEqual([]);
    const trail = await h.app.deps.store.auditTrail(review.id);
    expect(trail.filter((e) => e.action === 'review.exported')).toEqual([]);
    expect(trail.filter((e) => e.action === 'review.export.refused')).toEqual([
      expect.objectContaining({ detail: expect.objectContaining({ reason: 'not-business-unit' }) }),
    ]);
  });

  it('a second export the same second never overwrites the first', async () => {
    await replyTo(people.officer, 'export');
    const second = await replyTo(people.officer, 'export');
    expect(exports()).toHaveLength(1);
    expect(second).toContain('could not be written');
    const trail = await h.app.deps.store.auditTrail(review.id);
    expect(trail.filter((e) => e.action === 'review.exported')).toHaveLength(1);
  });
});
