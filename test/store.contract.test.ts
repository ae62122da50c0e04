/**
 * Runs the one ReviewStore contract against both stores. PostgreSQL is required (CI provides a
 * server); RR_SKIP_POSTGRES=1 skips it on a machine without one.
 */
import {
  assertPostgresReachable,
  describeStoreContract,
  openPostgresHarness,
  openSqliteHarness,
} from './storeContract';

describeStoreContract('SQLite (temp file)', openSqliteHarness);

if (process.env.RR_SKIP_POSTGRES === '1') {
  describe.skip('ReviewStore contract: PostgreSQL (skipped: RR_SKIP_POSTGRES=1)', () => {
    it('runs only with a PostgreSQL server', () => undefined);
  });
} else {
  describe('PostgreSQL', () => {
    beforeAll(async () => {
      await assertPostgresReachable();
    });
    describeStoreContract('PostgreSQL (fresh schema)', openPostgresHarness);
  });
}
