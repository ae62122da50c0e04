/**
 * The app's declared permissions, read from the one list the manifest, the admin guide and the grant
 * script are checked against (infra/graph-permissions.json).
 */
import declared from '../infra/graph-permissions.json';

/** Chat-scope resource-specific permissions: consented by name when the bot joins a meeting chat. */
export const chatConsentPermissions: readonly string[] = declared.resourceSpecific
  .filter((permission) => permission.scope === 'chat')
  .map((permission) => permission.name);
