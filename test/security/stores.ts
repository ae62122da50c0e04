/**
 * The stores the security suite runs the bot on: SQLite (the harness's file) and PostgreSQL (a
 * scratch schema, dropped afterwards). PostgreSQL is required, as for the store contract (CI provides
 * a server); RR_SKIP_POSTGRES=1 skips it on a machine without one.
 */
import { assertPostgresReachable, openPostgresHarness, type StoreHarness } from '../storeContract';

export interface StoreUnderTest {
  name: 'sqlite' | 'postgres';
  /** Opens the scratch store to give the bot; undefined: the harness's own SQLite file. */
  open?: () => Promise<StoreHarness>;
}

export const storesUnderTest: StoreUnderTest[] = [
  { name: 'sqlite' },
  ...(process.env.RR_SKIP_POSTGRES === '1'
    ? []
    : [
        {
          name: 'postgres' as const,
          open: async () => {
            await assertPostgresReachable();
            return openPostgresHarness();
          },
        },
      ]),
];
