/**
 * The audit trail made tamper-evident: each line carries the SHA-256 of the previous line's hash and
 * its own canonical form, so editing, removing or reordering any line breaks every hash after it.
 * Stores write the hashes in the same transaction as the change, holding one chain lock, so two
 * writers never fork the chain; `rapid-review audit verify` walks it and names the first broken line.
 *
 * What it cannot show on its own: that lines were cut off the end. Keep the head hash that verify
 * prints (e.g. in the partnership's records) to compare with later.
 */
import { createHash } from 'node:crypto';
import type { AuditEvent } from './model';

/** The `prev_hash` of the first line. */
export const genesisHash = '0'.repeat(64);

/** JSON with object keys in sorted order at every depth: one text per value, whatever the store did. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    const entries = Object.keys(value)
      .filter((key) => (value as Record<string, unknown>)[key] !== undefined)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${canonicalJson((value as Record<string, unknown>)[key])}`);
    return `{${entries.join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/**
 * The text a line's hash covers. The instant is normalised (PostgreSQL hands back its own form of a
 * timestamp), and an absent detail is null, as both stores keep it.
 */
export function canonicalAuditLine(event: AuditEvent): string {
  const at = new Date(event.at);
  return canonicalJson({
    reviewId: event.reviewId,
    at: Number.isNaN(at.getTime()) ? event.at : at.toISOString(),
    actor: event.actor,
    action: event.action,
    detail: event.detail ?? null,
  });
}

export function chainHash(prevHash: string, event: AuditEvent): string {
  return createHash('sha256').update(prevHash).update('\n').update(canonicalAuditLine(event)).digest('hex');
}

export interface ChainedEvent {
  event: AuditEvent;
  prevHash: string;
  hash: string;
}

/** The lines to append after a chain whose last hash is `headHash` (genesis for an empty trail). */
export function chainEvents(headHash: string | undefined, events: readonly AuditEvent[]): ChainedEvent[] {
  let previous = headHash ?? genesisHash;
  return events.map((event) => {
    const hash = chainHash(previous, event);
    const chained = { event, prevHash: previous, hash };
    previous = hash;
    return chained;
  });
}

/** One stored line as read back for verification. */
export interface StoredAuditLine {
  seq: number;
  event: AuditEvent;
  prevHash: string | null;
  hash: string | null;
}

export interface AuditChainReport {
  lines: number;
  /** The last line's hash: keep it to detect lines cut off the end later. */
  head: string;
  /** The first line that does not hold, by its sequence number, with what is wrong. */
  broken?: { seq: number; reason: string };
}

/** Walks the stored lines in sequence order (fed page by page); stops at the first broken line. */
export class AuditChainCheck {
  private previous = genesisHash;
  private count = 0;
  private broken: AuditChainReport['broken'];

  /** False once a broken line is found: nothing after it can be trusted. */
  add(line: StoredAuditLine): boolean {
    if (this.broken) return false;
    this.count += 1;
    const reason =
      line.hash === null || line.prevHash === null
        ? 'has no hash (written outside the bot, or never chained)'
        : line.prevHash !== this.previous
          ? 'does not follow the line before it (a line was removed, inserted or reordered)'
          : chainHash(line.prevHash, line.event) !== line.hash
            ? 'does not match its hash (its content was changed)'
            : undefined;
    if (reason !== undefined) {
      this.broken = { seq: line.seq, reason };
      return false;
    }
    this.previous = line.hash as string;
    return true;
  }

  report(): AuditChainReport {
    return { lines: this.count, head: this.previous, ...(this.broken ? { broken: this.broken } : {}) };
  }
}
