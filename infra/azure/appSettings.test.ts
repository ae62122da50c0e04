/**
 * The Bicep template cannot be compiled here (no Azure CLI), so these tests hold it to the parts a
 * wrong edit would break silently: the app settings it gives the bot are the variables bot/config.ts
 * reads, with values that config accepts, and every parameter is described and documented.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadEnvironmentConfig } from '../../bot/certificate';
import { configVariables } from '../../bot/config';
import { selfSignedPem } from '../../bot/testCertificate';

const root = join(__dirname, '..', '..');
const bicep = readFileSync(join(__dirname, 'main.bicep'), 'utf8');

/** The `name: '…'` / `value: …` pairs of one `var X = [ … ]` array of app settings. */
function settingsOf(variable: string): Map<string, string> {
  const start = bicep.indexOf(`var ${variable} = [`);
  expect(start).toBeGreaterThanOrEqual(0);
  const body = bicep.slice(start, bicep.indexOf('\n]\n', start));
  const settings = new Map<string, string>();
  for (const match of body.matchAll(/name: '([^']+)'\s*\n\s*value: ([^\n]+)/g))
    settings.set(match[1], match[2].trim());
  return settings;
}

const botSettings = settingsOf('botSettings');

const botAppId = '3b2a1c0d-9e8f-4a7b-8c6d-5e4f3a2b1c0d';
const identityClientId = '5d4c3b2a-1f0e-4d9c-8b7a-6f5e4d3c2b1a';
const deployed: Record<string, string> = {
  botAppId,
  'identity.properties.clientId': identityClientId,
  'tenant().tenantId': '7a6b5c4d-3e2f-4a1b-9c8d-7e6f5a4b3c2d',
  profile: 'england',
  businessUnitTeamId: '2c3d4e5f-6a7b-4c8d-9e0f-1a2b3c4d5e6f',
  businessUnitChannelId: '19:a1b2c3d4@thread.tacv2',
  businessUnitUsers: 'officer.one@example.gov.uk',
  reviewChairName: 'Dr Chair',
  reviewChairEmail: 'chair@example.gov.uk',
  meetingOrganizer: 'rapid-review@example.gov.uk',
  teamsAppId: 'd1e2f3a4-b5c6-4d7e-8f90-a1b2c3d4e5f6',
  logLevel: 'info',
  alertHour: '8',
};

/** The app settings as App Service would give them to the bot (Key Vault references resolved). */
function deployedEnvironment(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, expression] of [...botSettings, ...alertHourSetting]) {
    const literal = /^'([^']*)'$/.exec(expression);
    env[name] = literal
      ? literal[1]
          .replace('${identity.name}', 'id-rr-bot')
          .replace('${database.outputs.serverFqdn}', 'psql-rr-abc.postgres.database.azure.com')
          .replace('${database.outputs.databaseName}', 'rapidreview')
      : deployed[expression];
    if (env[name]?.startsWith('@Microsoft.KeyVault(')) {
      env[name] = name === 'DATA_ENCRYPTION_KEYS' ? `kv-2026:${'A'.repeat(43)}=` : certificatePem;
    }
    expect({ name, value: env[name] }).toEqual({ name, value: expect.any(String) });
  }
  return env;
}
const alertHourSetting = settingsOf('alertHourSetting');
const platformSettings = settingsOf('platformSettings');
const certificatePem = selfSignedPem();

/** Bicep params: name, whether it has a default, and whether a @description precedes it. */
function params(): { name: string; hasDefault: boolean; described: boolean }[] {
  const lines = bicep.split('\n');
  return lines.flatMap((line, index) => {
    const match = /^param (\w+) \w+( =)?/.exec(line);
    if (!match) return [];
    let at = index - 1;
    let described = false;
    while (
      at >= 0 &&
      (lines[at].startsWith('@') || lines[at].startsWith('  ') || lines[at].startsWith(']'))
    ) {
      if (lines[at].startsWith('@description(')) described = true;
      at--;
    }
    return [{ name: match[1], hasDefault: match[2] !== undefined, described }];
  });
}

describe('infra/azure/main.bicep', () => {
  it('sets only variables that bot/config.ts reads, and every one it requires in production', () => {
    const known = new Set(configVariables.map((v) => v.name));
    const set = [...botSettings.keys(), ...alertHourSetting.keys()];
    expect(set.filter((name) => !known.has(name))).toEqual([]);
    const required = configVariables.filter((v) => v.required === 'in production').map((v) => v.name);
    expect(required.filter((name) => !botSettings.has(name))).toEqual([]);
    // One credential, and the Azure deployment's is the app registration's certificate from Key Vault.
    expect(botSettings.get('MICROSOFT_APP_CERT_PEM')).toMatch(/^'@Microsoft\.KeyVault\(/);
    // The data keys come from Key Vault only, never from a parameter or a literal.
    expect(botSettings.get('DATA_ENCRYPTION_KEYS')).toMatch(/^'@Microsoft\.KeyVault\(/);
    expect(botSettings.has('MICROSOFT_APP_MANAGED_IDENTITY_CLIENT_ID')).toBe(false);
    expect(botSettings.has('MICROSOFT_APP_PASSWORD')).toBe(false);
  });

  it('sets every variable without which the bot refuses to start in production', () => {
    // Ask the schema itself rather than the documented list: remove each set variable in turn and
    // see whether the bot would refuse; and an environment of only Bicep's settings is accepted.
    const env = deployedEnvironment();
    const refusedWithout = [...botSettings.keys()].filter((name) => {
      const { [name]: _removed, ...rest } = env;
      void _removed;
      try {
        loadEnvironmentConfig(rest);
        return false;
      } catch {
        return true;
      }
    });
    expect(refusedWithout).toEqual(
      expect.arrayContaining(['MICROSOFT_APP_ID', 'REVIEW_CHAIR_EMAIL', 'MEETING_ORGANIZER', 'TEAMS_APP_ID']),
    );
    const requiredByRule = configVariables
      .filter((v) => v.required !== 'no' && v.required !== 'with MICROSOFT_APP_CERT_THUMBPRINT')
      .map((v) => v.name)
      .filter(
        (name) =>
          ![
            'MICROSOFT_APP_PASSWORD',
            'MICROSOFT_APP_CERT_THUMBPRINT',
            'MICROSOFT_APP_MANAGED_IDENTITY_CLIENT_ID',
          ].includes(name),
      );
    expect(requiredByRule.filter((name) => !botSettings.has(name))).toEqual([]);
    expect(() => loadEnvironmentConfig(env)).not.toThrow();
  });

  it('gives settings that bot/config.ts accepts once Azure fills in its values', () => {
    const config = loadEnvironmentConfig(deployedEnvironment());
    expect(config.mode).toBe('production');
    if (config.mode !== 'production') return;
    expect(config.identity.appId).toBe(botAppId);
    expect(config.identity.credential.kind).toBe('certificate');
    expect(config.graph.credential).toBe('certificate');
    expect(config.store).toEqual({
      kind: 'postgres',
      url: 'postgres://id-rr-bot@psql-rr-abc.postgres.database.azure.com:5432/rapidreview',
      ssl: true,
      auth: 'entra',
      managedIdentityClientId: identityClientId,
      dataKeys: `kv-2026:${'A'.repeat(43)}=`,
    });
    expect(config.alertHour).toBe(8);
    expect(config.settings.teamsAppId).toBe(deployed.teamsAppId);
  });

  it('runs the current Node.js LTS on App Service and the built output', () => {
    expect(bicep).toMatch(/param nodeRuntime string = 'NODE\|(22|24)-lts'/);
    expect(bicep).not.toMatch(/NODE\|20/);
    expect(bicep).toContain("param startupCommand string = 'node --max-semi-space-size=2 dist/bot/main.js'");
    expect(platformSettings.get('SCM_DO_BUILD_DURING_DEPLOYMENT')).toBe("'false'");
    // The Azure Bot is the app registration, not the managed identity.
    expect(bicep).toContain("msaAppType: 'SingleTenant'");
    expect(bicep).toContain('msaAppId: botAppId');
    expect(bicep).not.toContain('UserAssignedMSI');
  });

  it('keeps platform settings apart from the bot configuration', () => {
    const known = new Set(configVariables.map((v) => v.name));
    expect([...platformSettings.keys()].filter((name) => known.has(name))).toEqual([]);
    expect(platformSettings.get('APPLICATIONINSIGHTS_CONNECTION_STRING')).toMatch(/^'@Microsoft\.KeyVault\(/);
  });

  it('describes every parameter in the template and in docs/deploy.md', () => {
    const all = params();
    expect(all.length).toBeGreaterThan(10);
    expect(all.filter((p) => !p.described).map((p) => p.name)).toEqual([]);
    const guide = readFileSync(join(root, 'docs', 'deploy.md'), 'utf8');
    const documented = new Set([...guide.matchAll(/^\| `(\w+)` \|/gm)].map((m) => m[1]));
    expect(all.filter((p) => !documented.has(p.name)).map((p) => p.name)).toEqual([]);
  });

  it('has an example parameters file that sets every parameter without a default and nothing unknown', () => {
    const example = JSON.parse(readFileSync(join(__dirname, 'main.parameters.example.json'), 'utf8')) as {
      parameters: Record<string, unknown>;
    };
    const names = new Set(params().map((p) => p.name));
    expect(Object.keys(example.parameters).filter((name) => !names.has(name))).toEqual([]);
    const mandatory = params()
      .filter((p) => !p.hasDefault)
      .map((p) => p.name);
    expect(mandatory.filter((name) => !(name in example.parameters))).toEqual([]);
  });
});
