/**
 * The admin guide, the grant script and the Teams manifest say the same as infra/graph-permissions.json
 * (and the guide's variable table the same as bot/config.ts). Regenerate with `rapid-review permissions --write`.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  applicationPermissions,
  blockIn,
  generatedBlocks,
  repoRoot,
  resourceSpecificPermissions,
} from './adminMaterial';

const root = repoRoot();
const read = (file: string) => readFileSync(join(root, file), 'utf8');

describe('admin material generated from infra/graph-permissions.json', () => {
  it.each(generatedBlocks.map((b) => [b.file, b.name, b] as const))(
    '%s block %s is up to date (rapid-review permissions --write)',
    (file, name, block) => {
      expect(blockIn(read(file), file, name)).toBe(block.render());
    },
  );

  it("has the manifest's resource-specific permissions equal to the list's", () => {
    const manifest = JSON.parse(read('infra/teams/manifest.json')) as {
      authorization: { permissions: { resourceSpecific: { name: string; type: string }[] } };
    };
    const inManifest = manifest.authorization.permissions.resourceSpecific.map((p) => `${p.name}/${p.type}`);
    expect([...inManifest].sort()).toEqual(
      resourceSpecificPermissions.map((p) => `${p.name}/${p.type}`).sort(),
    );
    expect(inManifest).toContain('ChannelSettings.Read.Group/Application');
  });

  it('has the grant script target the app registration, granting exactly the application permissions', () => {
    const script = read('infra/azure/grant-graph-permissions.ps1');
    const listed = [...(blockIn(script, 'x.ps1', 'permissions') ?? '').matchAll(/'([^']+)'/g)].map(
      (m) => m[1],
    );
    expect(listed).toEqual(applicationPermissions.map((p) => p.name));
    expect(script).toMatch(/-AppId/);
    expect(script).toMatch(/Get-MgServicePrincipal -Filter "appId eq '\$AppId'"/);
    expect(script).not.toMatch(/managed identity/i);
  });

  it('names every permission in the guide', () => {
    const guide = read('docs/deploy.md');
    for (const p of [...applicationPermissions, ...resourceSpecificPermissions])
      expect(guide).toContain(`\`${p.name}\``);
  });
});
