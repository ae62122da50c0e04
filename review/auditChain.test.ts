import {
  AuditChainCheck,
  canonicalAuditLine,
  chainEvents,
  genesisHash,
  type StoredAuditLine,
} from './auditChain';
import type { AuditEvent } from './model';

const event = (action: string, detail?: Record<string, unknown>): AuditEvent => ({
  reviewId: 'r1',
  at: '2026-03-05T10:00:00.000Z',
  actor: { name: 'Officer', aadObjectId: 'a1' },
  action,
  ...(detail ? { detail } : {}),
});

describe('the audit hash chain', () => {
  it('hashes the same line the same way whatever the key order or timestamp form a store hands back', () => {
    const written = event('card.posted', { agency: 'police', n: 2 });
    const readBack: AuditEvent = {
      action: 'card.posted',
      detail: { n: 2, agency: 'police' },
      actor: { aadObjectId: 'a1', name: 'Officer' },
      at: '2026-03-05T10:00:00Z',
      reviewId: 'r1',
    };
    expect(canonicalAuditLine(readBack)).toBe(canonicalAuditLine(written));
    expect(canonicalAuditLine(event('card.posted', { agency: 'la', n: 2 }))).not.toBe(
      canonicalAuditLine(written),
    );
  });

  it('links each line to the one before, from the genesis hash', () => {
    const chained = chainEvents(undefined, [event('a'), event('b'), event('c')]);
    expect(chained[0]?.prevHash).toBe(genesisHash);
    expect(chained[1]?.prevHash).toBe(chained[0]?.hash);
    expect(chained[2]?.prevHash).toBe(chained[1]?.hash);
    expect(chainEvents(chained[2]?.hash, [event('d')])[0]?.prevHash).toBe(chained[2]?.hash);
  });

  it('stops at the first changed, missing or unhashed line, naming it', () => {
    const lines: StoredAuditLine[] = chainEvents(undefined, [event('a'), event('b'), event('c')]).map(
      (c, index) => ({
        seq: index + 1,
        event: c.event,
        prevHash: c.prevHash,
        hash: c.hash,
      }),
    );
    const walk = (stored: typeof lines) => {
      const check = new AuditChainCheck();
      for (const line of stored) if (!check.add(line)) break;
      return check.report();
    };
    expect(walk(lines)).toEqual({ lines: 3, head: lines[2]?.hash });
    const [first, second, third] = lines as [StoredAuditLine, StoredAuditLine, StoredAuditLine];
    expect(walk([first, { ...second, event: event('x') }, third]).broken).toEqual({
      seq: 2,
      reason: expect.stringMatching(/content was changed/),
    });
    expect(walk([first, third]).broken).toEqual({ seq: 3, reason: expect.stringMatching(/removed/) });
    expect(walk([first, { ...second, hash: null }]).broken).toEqual({
      seq: 2,
      reason: expect.stringMatching(/no hash/),
    });
  });
});
