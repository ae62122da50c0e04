// The Graph permissions the sandbox grants by default, read from infra/graph-permissions.json (the
// same file the admin guide and the grant script come from), and the unsigned token the sandbox hands
// out so the admin tool can read its roles as it would from a real one.
import fs from 'node:fs';
import path from 'node:path';

/** The Teams application access policy for meeting organisers: not a Graph permission, but needed as one. */
export const ACCESS_POLICY = 'ApplicationAccessPolicy';

export interface PermissionsFile {
  application: { name: string }[];
  resourceSpecific: { name: string; scope: string; type?: string }[];
}

/** The directory holding package.json, walking up from here (this file also runs from dist/test/graph-sandbox). */
export function repoRoot(start: string = __dirname): string {
  let dir = path.resolve(start);
  for (;;) {
    if (fs.existsSync(path.join(dir, 'package.json'))) return dir;
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`No package.json above ${start}`);
    dir = parent;
  }
}

let cached: PermissionsFile | undefined;

export function loadPermissionsFile(): PermissionsFile {
  if (!cached) {
    const file = path.resolve(repoRoot(), 'infra', 'graph-permissions.json');
    cached = JSON.parse(fs.readFileSync(file, 'utf8')) as PermissionsFile;
  }
  return cached;
}

/** Every application and resource-specific permission the bot asks for, plus the access policy. */
export function defaultGrants(): string[] {
  const file = loadPermissionsFile();
  return [...file.application.map((p) => p.name), ...file.resourceSpecific.map((p) => p.name), ACCESS_POLICY];
}

/** Resource-specific (RSC) permission names, by scope ('team' or 'chat'). */
export function rscNames(scope: 'team' | 'chat'): string[] {
  return loadPermissionsFile()
    .resourceSpecific.filter((p) => p.scope === scope)
    .map((p) => p.name);
}

/** The grants a token would carry as `roles`: application permissions, not RSC, not the access policy. */
export function tokenRoles(grants: readonly string[]): string[] {
  const rsc = new Set(loadPermissionsFile().resourceSpecific.map((p) => p.name));
  return grants.filter((grant) => grant !== ACCESS_POLICY && !rsc.has(grant));
}

function base64url(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

/** An unsigned JWT shaped like an app-only Graph token (alg none, empty signature is not used: a fixed one is). */
export function unsignedToken(grants: readonly string[], tenantId: string, nowMs: number): string {
  const iat = Math.floor(nowMs / 1000);
  const header = { typ: 'JWT', alg: 'none' };
  const payload = {
    aud: 'https://graph.microsoft.com',
    iss: `https://sts.windows.net/${tenantId}/`,
    tid: tenantId,
    iat,
    nbf: iat,
    exp: iat + 3600,
    idtyp: 'app',
    roles: tokenRoles(grants),
  };
  return `${base64url(header)}.${base64url(payload)}.${Buffer.from('graph-sandbox').toString('base64url')}`;
}
