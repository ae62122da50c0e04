import Database from 'better-sqlite3';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore } from '../review/openStore';
import { ProfileRegistry } from '../review/profile';
import { sampleReview } from '../test/fixtures/sampleReview';
import { runCli } from './main';

const keyA = `key-a:${Buffer.alloc(32, 0xa1).toString('base64')}`;
const keyB = `key-b:${Buffer.alloc(32, 0xb2).toString('base64')}`;

let dir: string;
let path: string;
const saved = { ...process.env };

async function run(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(argv, { out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out, err };
}

function useEnvironment(keys: string): void {
  process.env = {
    ...saved,
    RR_MODE: 'local',
    STORE: 'sqlite',
    SQLITE_PATH: path,
    DATA_ENCRYPTION_KEYS: keys,
    REPORTS_DIR: join(dir, 'reports'),
    PROFILES_DIR: join(dir, 'profiles'),
  };
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'rr-data-cli-'));
  path = join(dir, 'reviews.db');
  mkdirSync(join(dir, 'profiles'));
  // A partnership that has decided its retention period: six years from closing.
  writeFileSync(
    join(dir, 'profiles', 'six-years.json'),
    JSON.stringify({
      id: 'six-years',
      extends: 'england',
      name: 'Six Years Partnership',
      retention: { years: 6, note: 'Decided with the IG lead.' },
    }),
  );
});

afterEach(() => {
  process.env = { ...saved };
  rmSync(dir, { recursive: true, force: true });
});

describe('rapid-review rotate-keys', () => {
  it('re-seals data written under key A with key B, after which A can be removed', async () => {
    const review = sampleReview();
    const underA = await openStore({ kind: 'sqlite', path, dataKeys: keyA });
    await underA.createReview(review, []);
    await underA.close();

    useEnvironment(`${keyB},${keyA}`);
    const result = await run('rotate-keys', '--batch', '2', '--by', 'officer.one');

    expect(result).toEqual({
      code: 0,
      out: [
        'rotate-keys: 1 review(s) read, 1 re-sealed under the current key in 1 batch(es) of at most 2; older keys may now be removed',
      ],
      err: [],
    });
    const onlyB = await openStore({ kind: 'sqlite', path, dataKeys: keyB });
    try {
      expect(await onlyB.getReview(review.id)).toEqual({ ...review, version: 1 });
      expect((await onlyB.auditTrail(review.id)).map((e) => [e.action, e.actor])).toEqual([
        ['data.resealed', { system: 'rapid-review rotate-keys (run by officer.one)' }],
      ]);
    } finally {
      await onlyB.close();
    }
  });

  it('refuses a bad batch size with one line and exit code 2', async () => {
    useEnvironment(keyA);
    const result = await run('rotate-keys', '--batch', '0');
    expect(result.code).toBe(2);
    expect(result.err).toEqual([expect.stringMatching(/--batch: must be a whole number of at least 1/)]);
  });
});

describe('rapid-review audit verify', () => {
  it('reports an intact chain with its head, then names a line edited in the raw database', async () => {
    const review = sampleReview();
    const store = await openStore({ kind: 'sqlite', path, dataKeys: keyA });
    const at = '2026-03-05T10:00:00.000Z';
    await store.createReview(review, [
      { reviewId: review.id, at, actor: { system: 't' }, action: 'review.opened' },
      { reviewId: review.id, at, actor: { system: 't' }, action: 'card.posted' },
    ]);
    await store.close();
    useEnvironment(keyA);

    const intact = await run('audit', 'verify');
    expect(intact.code).toBe(0);
    expect(intact.out).toEqual([
      expect.stringMatching(/^audit verify: 2 line\(s\), chain intact; head [0-9a-f]{64}$/),
    ]);

    const raw = new Database(path);
    raw.exec('DROP TRIGGER audit_events_no_update');
    raw.prepare(`UPDATE audit_events SET action = 'nothing.happened' WHERE action = 'card.posted'`).run();
    const seq = (
      raw.prepare(`SELECT seq FROM audit_events WHERE action = 'nothing.happened'`).get() as { seq: number }
    ).seq;
    raw.close();

    const broken = await run('audit', 'verify');
    expect(broken.code).toBe(1);
    expect(broken.out).toEqual([
      `audit verify: BROKEN at line seq ${seq}: it does not match its hash (its content was changed); 1 line(s) before it hold`,
    ]);
  });

  it('answers a wrong sub-command with its usage', async () => {
    expect((await run('audit', 'check')).err).toEqual(['rapid-review: audit: usage: audit verify']);
  });
});

const officer = { name: 'Business Unit', aadObjectId: 'b0b0' };

describe('rapid-review dispose', () => {
  it('lists what is due in a dry run, then disposes of it with its report files, audited', async () => {
    const due = sampleReview({
      profileId: 'six-years',
      state: 'closed',
      closure: { reason: 'Done.', by: officer, at: '2019-05-01T12:00:00.000Z', fromState: 'panel-responded' },
    });
    const kept = sampleReview({ profileId: 'six-years' });
    const england = sampleReview({
      state: 'closed',
      closure: { reason: 'Done.', by: officer, at: '2010-05-01T12:00:00.000Z', fromState: 'decided' },
    });
    const store = await openStore({ kind: 'sqlite', path, dataKeys: keyA });
    for (const review of [due, kept, england]) await store.createReview(review, []);
    await store.close();
    const reports = join(dir, 'reports');
    mkdirSync(reports);
    for (const name of [
      `${due.reference}-rapid-review-report.docx`,
      `${kept.reference}-rapid-review-report.docx`,
    ])
      writeFileSync(join(reports, name), 'docx');
    useEnvironment(keyA);

    expect(new ProfileRegistry([join(dir, 'profiles')]).get('six-years').retention.years).toBe(6);
    const dry = await run('dispose', '--dry-run', '--today', '2025-06-01');
    expect(dry).toEqual({
      code: 0,
      out: [
        `${due.reference}  closed 2019-05-01  retention ended 2025-05-01`,
        'dispose --dry-run: 1 review(s) due on 2025-06-01; nothing removed',
      ],
      err: [],
    });
    expect(existsSync(join(reports, `${due.reference}-rapid-review-report.docx`))).toBe(true);

    const done = await run('dispose', '--today', '2025-06-01', '--by', 'officer.one');
    expect(done.out).toEqual([
      `${due.reference}  disposed of (closed 2019-05-01)`,
      'dispose: 1 review(s) disposed of on 2025-06-01, each audited',
    ]);
    expect(existsSync(join(reports, `${due.reference}-rapid-review-report.docx`))).toBe(false);
    expect(existsSync(join(reports, `${kept.reference}-rapid-review-report.docx`))).toBe(true);
    const after = await openStore({ kind: 'sqlite', path, dataKeys: keyA });
    try {
      expect((await after.getReview(due.id))?.subject).toEqual({ childName: '', familyMembers: [] });
      expect(
        (await after.auditTrail(due.id)).map((e) => [e.action, e.actor, e.detail?.reportFilesRemoved]),
      ).toEqual([['review.disposed', { system: 'rapid-review dispose (run by officer.one)' }, 1]]);
      // England leaves the period to the partnership: nothing of its reviews is ever disposed of.
      expect((await after.getReview(england.id))?.subject).toEqual(england.subject);
    } finally {
      await after.close();
    }
  });
});

describe('rapid-review export', () => {
  it('writes everything held about one review, decrypted, to a file named by reference, and audits it', async () => {
    const review = sampleReview({ reportParts: { incidentSummary: 'What happened.' } });
    const store = await openStore({ kind: 'sqlite', path, dataKeys: keyA });
    await store.createReview(review, [
      { reviewId: review.id, at: '2026-03-05T10:00:00.000Z', actor: officer, action: 'review.opened' },
    ]);
    await store.close();
    useEnvironment(keyA);

    const result = await run('export', review.reference, '--out', dir, '--by', 'officer.one');

    const file = join(dir, `${review.reference}-export.json`);
    expect(result.code).toBe(0);
    expect(result.out).toEqual([expect.stringContaining(`${review.reference} written to ${file}`)]);
    const exported = JSON.parse(readFileSync(file, 'utf8'));
    expect(exported.review).toEqual({ ...review, version: 1 });
    expect(exported.reportParts).toEqual({ incidentSummary: 'What happened.' });
    expect(exported.auditTrail.map((e: { action: string }) => e.action)).toEqual(['review.opened']);
    expect(statSync(file).mode & 0o077).toBe(0);
    const after = await openStore({ kind: 'sqlite', path, dataKeys: keyA });
    try {
      expect((await after.auditTrail(review.id)).at(-1)).toMatchObject({
        action: 'review.exported',
        actor: { system: 'rapid-review export (run by officer.one)' },
        detail: { file: `${review.reference}-export.json`, auditLines: 1 },
      });
    } finally {
      await after.close();
    }
    // Never over an existing file.
    expect((await run('export', review.reference, '--out', dir)).err).toEqual([
      expect.stringMatching(/--out: .* already exists; an export never overwrites a file/),
    ]);
  });

  it('refuses a file name that is not the reference, and a reference it does not hold', async () => {
    useEnvironment(keyA);
    const named = await run('export', 'RR-2026-001', '--out', join(dir, 'Zoe-Fictional.json'));
    expect(named.code).toBe(2);
    expect(named.err).toEqual([expect.stringMatching(/--out: the file name must start with the reference/)]);
    const missing = await run('export', 'RR-2026-999', '--out', dir);
    expect(missing.err).toEqual(['rapid-review: export: no review has the reference RR-2026-999']);
  });
});
