import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore } from '../review/openStore';
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
  };
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'rr-data-cli-'));
  path = join(dir, 'reviews.db');
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
