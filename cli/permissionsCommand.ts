/**
 * `rapid-review permissions`: the admin material produced from infra/graph-permissions.json.
 *   --markdown    the guide's two permission tables
 *   --powershell  the grant script's permission list
 *   --write       rewrites the generated blocks in docs/deploy.md and the grant script
 */
import {
  applicationPermissionTable,
  grantScriptPermissions,
  resourceSpecificTable,
  writeGeneratedBlocks,
} from '../infra/adminMaterial';
import { UsageError, type CliIo } from './usage';

export function permissionsCommand(args: string[], io: CliIo): void {
  const [flag, ...rest] = args;
  if (rest.length > 0) throw new UsageError(`permissions: unexpected '${rest[0]}'`);
  switch (flag) {
    case '--markdown':
      io.out(resourceSpecificTable());
      io.out('');
      io.out(applicationPermissionTable());
      return;
    case '--powershell':
      io.out(grantScriptPermissions());
      return;
    case '--write': {
      const changed = writeGeneratedBlocks();
      io.out(changed.length === 0 ? 'up to date' : `rewrote ${changed.join(', ')}`);
      return;
    }
    default:
      throw new UsageError('permissions: give --markdown, --powershell or --write');
  }
}
