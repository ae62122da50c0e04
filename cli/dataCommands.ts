/**
 * The commands that look after the data itself, run by an administrator with the bot's own settings
 * in the environment (the same store and DATA_ENCRYPTION_KEYS the bot uses):
 *   rotate-keys [--batch N] [--by NAME]   re-seal every review under the current key
 *   audit verify                          walk the audit trail's hash chain; exit 1 at a broken line
 *   dispose [--dry-run] [--today DATE]    dispose of closed reviews past the retention period
 *   export RR-… --out FILE                everything held about one review, as JSON, for the business unit
 * Every change they make is audited; the actor is the command and the operator who ran it.
 */
import { readdir, unlink } from 'node:fs/promises';
import { existsSync, statSync } from 'node:fs';
import { userInfo } from 'node:os';
import { basename, join } from 'node:path';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { loadEnvironmentConfig } from '../bot/certificate';
import {
  disposeDueReviews,
  namedReportFiles,
  reviewsDueForDisposal,
  type DisposalPorts,
} from '../review/disposal';
import type { AuditEvent, Review } from '../review/model';
import type { ProfileRegistry } from '../review/profile';
import { openStore } from '../review/openStore';
import { writeReviewExport } from '../review/reviewExport';
import type { ReviewStore } from '../review/store';
import { UsageError, type CliIo } from './usage';

type Options = NonNullable<ParseArgsConfig['options']>;

export function parsed(command: string, args: string[], options: Options) {
  try {
    return parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError(`${command}: ${(error as Error).message.split('\n')[0]}`);
  }
}

/** The store the bot itself would open, from the same environment. */
export async function storeFromEnvironment(env: NodeJS.ProcessEnv = process.env): Promise<ReviewStore> {
  return openStore(loadEnvironmentConfig(env).store);
}

export function operatorActor(command: string, by: unknown): AuditEvent['actor'] {
  const operator = typeof by === 'string' && by.trim() !== '' ? by.trim() : safeUserName();
  return { system: `rapid-review ${command} (run by ${operator})` };
}

function safeUserName(): string {
  try {
    return userInfo().username;
  } catch {
    return 'unknown operator';
  }
}

export function positiveWhole(field: string, value: unknown, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'string' || !/^\d+$/.test(value) || Number(value) < 1) {
    throw new UsageError(`${field}: must be a whole number of at least 1 (got '${String(value)}')`);
  }
  return Number(value);
}

export async function rotateKeysCommand(args: string[], io: CliIo): Promise<number> {
  const { values } = parsed('rotate-keys', args, { batch: { type: 'string' }, by: { type: 'string' } });
  const batchSize = positiveWhole('--batch', values.batch, 100);
  const store = await storeFromEnvironment();
  try {
    const outcome = await store.resealReviews({
      batchSize,
      actor: operatorActor('rotate-keys', values.by),
      at: new Date().toISOString(),
    });
    io.out(
      `rotate-keys: ${outcome.reviews} review(s) read, ${outcome.resealed} re-sealed under the current key ` +
        `in ${outcome.batches} batch(es) of at most ${batchSize}; older keys may now be removed`,
    );
    return 0;
  } finally {
    await store.close();
  }
}

export async function auditCommand(args: string[], io: CliIo): Promise<number> {
  const { positionals } = parsed('audit', args, {});
  if (positionals.length !== 1 || positionals[0] !== 'verify') {
    throw new UsageError('audit: usage: audit verify');
  }
  const store = await storeFromEnvironment();
  try {
    const report = await store.verifyAuditChain();
    if (report.broken) {
      io.out(
        `audit verify: BROKEN at line seq ${report.broken.seq}: it ${report.broken.reason}; ` +
          `${report.lines - 1} line(s) before it hold`,
      );
      return 1;
    }
    io.out(`audit verify: ${report.lines} line(s), chain intact; head ${report.head}`);
    return 0;
  } finally {
    await store.close();
  }
}

/** Removes a review's report files: those it names, and any other under its reference in the folder. */
export function reportFileRemover(reportsDir: string): (review: Review) => Promise<number> {
  return async (review) => {
    let present: string[];
    try {
      present = await readdir(reportsDir);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 0;
      throw error;
    }
    // Only a file's own name counts: a name recorded in the review never reaches outside the folder.
    const named = new Set(namedReportFiles(review).map((name) => basename(name)));
    const prefix = `${review.reference}-`;
    const doomed = present.filter((name) => named.has(name) || name.startsWith(prefix));
    for (const name of doomed) await unlink(join(reportsDir, name));
    return doomed.length;
  };
}

function today(value: unknown): string {
  if (value === undefined) return new Date().toISOString().slice(0, 10);
  if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(value) || Number.isNaN(Date.parse(value))) {
    throw new UsageError(`--today: must be a date as YYYY-MM-DD (got '${String(value)}')`);
  }
  return value;
}

export async function disposeCommand(args: string[], io: CliIo, registry: ProfileRegistry): Promise<number> {
  const { values } = parsed('dispose', args, {
    'dry-run': { type: 'boolean' },
    today: { type: 'string' },
    by: { type: 'string' },
  });
  const on = today(values.today);
  const config = loadEnvironmentConfig(process.env);
  const store = await openStore(config.store);
  const ports: DisposalPorts = {
    store,
    retentionYears: (profileId) => (registry.has(profileId) ? registry.get(profileId).retention.years : null),
    removeReportFiles: reportFileRemover(config.settings.reportsDir),
  };
  try {
    if (values['dry-run']) {
      const due = await reviewsDueForDisposal(ports, on);
      for (const entry of due) {
        io.out(`${entry.reference}  closed ${entry.closedOn}  retention ended ${entry.dueOn}`);
      }
      io.out(`dispose --dry-run: ${due.length} review(s) due on ${on}; nothing removed`);
      return 0;
    }
    const outcome = await disposeDueReviews(ports, {
      today: on,
      actor: operatorActor('dispose', values.by),
      at: new Date().toISOString(),
    });
    for (const entry of outcome.disposed)
      io.out(`${entry.reference}  disposed of (closed ${entry.closedOn})`);
    for (const entry of outcome.refused) io.out(`${entry.reference}  left as it is: ${entry.reason}`);
    io.out(`dispose: ${outcome.disposed.length} review(s) disposed of on ${on}, each audited`);
    return outcome.refused.length > 0 ? 1 : 0;
  } finally {
    await store.close();
  }
}

const referencePattern = /^RR-\d{4}-\d{3,}$/;

/** Where the export goes: into a folder as `<reference>-export.json`, or a file named by the reference. */
function exportPath(out: unknown, reference: string): string {
  if (typeof out !== 'string' || out === '') throw new UsageError('--out: a file or folder is required');
  let folder = false;
  try {
    folder = statSync(out).isDirectory();
  } catch {
    folder = false;
  }
  const path = folder ? join(out, `${reference}-export.json`) : out;
  if (existsSync(path))
    throw new UsageError(`--out: ${path} already exists; an export never overwrites a file`);
  if (folder) return path;
  const name = basename(out);
  if (!name.startsWith(reference) || !/^[A-Za-z0-9._-]+$/.test(name)) {
    throw new UsageError(
      `--out: the file name must start with the reference (${reference}) and hold nothing else identifying (got '${name}')`,
    );
  }
  return out;
}

export async function exportCommand(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parsed('export', args, { out: { type: 'string' }, by: { type: 'string' } });
  const [reference] = positionals;
  if (positionals.length !== 1 || reference === undefined || !referencePattern.test(reference)) {
    throw new UsageError('export: usage: export RR-YYYY-NNN --out FILE|FOLDER');
  }
  const path = exportPath(values.out, reference);
  const store = await storeFromEnvironment();
  try {
    const review = await store.findByReference(reference);
    if (!review) throw new UsageError(`export: no review has the reference ${reference}`);
    const written = await writeReviewExport(
      store,
      review,
      path,
      operatorActor('export', values.by),
      new Date().toISOString(),
    );
    io.out(
      `export: ${reference} written to ${path} (${written.auditLines} audit line(s)); the export is audited`,
    );
    return 0;
  } finally {
    await store.close();
  }
}
