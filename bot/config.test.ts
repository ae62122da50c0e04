import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { developmentKeySetting } from '../review/fieldCipher';
import { ConfigError, configVariables, loadConfig } from './config';

const APP_ID = '0f1e2d3c-4b5a-4978-8a6b-5c4d3e2f1a00';
const TENANT_ID = '7a6b5c4d-3e2f-4a1b-9c8d-7e6f5a4b3c2d';
const TEAM_ID = '2c3d4e5f-6a7b-4c8d-9e0f-1a2b3c4d5e6f';

/** A complete production environment, minus the bot credential. */
const productionBase: NodeJS.ProcessEnv = {
  MICROSOFT_APP_ID: APP_ID,
  MICROSOFT_APP_TENANT_ID: TENANT_ID,
  BUSINESS_UNIT_TEAM_ID: TEAM_ID,
  BUSINESS_UNIT_CHANNEL_ID: '19:a1b2c3d4e5f6@thread.tacv2',
  BUSINESS_UNIT_USERS: 'Officer.One@Partnership.gov.uk, 9b8a7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d',
  REVIEW_CHAIR_NAME: 'Dr Chair',
  REVIEW_CHAIR_EMAIL: 'Chair@Partnership.gov.uk',
  MEETING_ORGANIZER: 'rapid-review@partnership.gov.uk',
  TEAMS_APP_ID: 'd1e2f3a4-b5c6-4d7e-8f90-a1b2c3d4e5f6',
  DATA_ENCRYPTION_KEYS: 'test-2026:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=',
};

function refusal(env: NodeJS.ProcessEnv): string {
  try {
    loadConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as Error).message;
    expect(message.split('\n')).toHaveLength(1);
    return message;
  }
  throw new Error('the configuration was accepted');
}

describe('production configuration', () => {
  it('refuses to start without a bot credential, naming the variable', () => {
    expect(refusal(productionBase)).toMatch(
      /^Configuration: MICROSOFT_APP_PASSWORD \(or MICROSOFT_APP_CERT_THUMBPRINT with MICROSOFT_APP_CERT_KEY_FILE, or MICROSOFT_APP_MANAGED_IDENTITY_CLIENT_ID\) is required in production/,
    );
  });

  it('is the default mode, so an empty environment is refused rather than run unauthenticated', () => {
    const message = refusal({});
    expect(message).toMatch(/^Configuration: MICROSOFT_APP_ID is required in production/);
    expect(message).toContain('BUSINESS_UNIT_TEAM_ID');
  });

  it('names a malformed app id and shows the value given', () => {
    expect(refusal({ ...productionBase, MICROSOFT_APP_PASSWORD: 'x', MICROSOFT_APP_ID: 'abc' })).toBe(
      "Configuration: MICROSOFT_APP_ID must be a GUID (got 'abc')",
    );
  });

  it('refuses two credentials at once', () => {
    expect(
      refusal({
        ...productionBase,
        MICROSOFT_APP_PASSWORD: 's3cret',
        MICROSOFT_APP_MANAGED_IDENTITY_CLIENT_ID: APP_ID,
      }),
    ).toMatch(
      /MICROSOFT_APP_MANAGED_IDENTITY_CLIENT_ID must not be set together with MICROSOFT_APP_PASSWORD/,
    );
  });

  it('wants the key file with a certificate thumbprint', () => {
    expect(refusal({ ...productionBase, MICROSOFT_APP_CERT_THUMBPRINT: 'A'.repeat(40) })).toMatch(
      /^Configuration: MICROSOFT_APP_CERT_KEY_FILE is required with MICROSOFT_APP_CERT_THUMBPRINT/,
    );
  });

  it("wants the managed identity's client id to be the bot's app id", () => {
    expect(
      refusal({
        ...productionBase,
        MICROSOFT_APP_MANAGED_IDENTITY_CLIENT_ID: '11111111-2222-4333-8444-555555555555',
      }),
    ).toMatch(/^Configuration: MICROSOFT_APP_MANAGED_IDENTITY_CLIENT_ID must equal MICROSOFT_APP_ID/);
  });

  it('accepts only a single-tenant bot', () => {
    expect(
      refusal({ ...productionBase, MICROSOFT_APP_PASSWORD: 'x', MICROSOFT_APP_TYPE: 'MultiTenant' }),
    ).toMatch(/^Configuration: MICROSOFT_APP_TYPE must be 'SingleTenant'.*\(got 'MultiTenant'\)$/);
  });

  it('never echoes a secret value back', () => {
    const message = refusal({
      ...productionBase,
      MICROSOFT_APP_PASSWORD: 'x',
      STORE: 'postgres',
      DATABASE_URL: 'mysql://bot:Hunter2Hunter2@db.example/rr',
    });
    expect(message).toMatch(/^Configuration: DATABASE_URL must be a postgres:\/\/ URL$/);
    expect(message).not.toContain('Hunter2');
  });

  it('wants DATABASE_URL with the postgres store', () => {
    expect(refusal({ ...productionBase, MICROSOFT_APP_PASSWORD: 'x', STORE: 'postgres' })).toBe(
      'Configuration: DATABASE_URL is required when STORE=postgres',
    );
  });

  it('refuses a Graph credential other than the one given', () => {
    expect(
      refusal({ ...productionBase, MICROSOFT_APP_PASSWORD: 'x', GRAPH_CREDENTIAL: 'managed-identity' }),
    ).toMatch(/^Configuration: GRAPH_CREDENTIAL must match the bot credential given/);
  });

  it('refuses plain http to Graph', () => {
    expect(
      refusal({
        ...productionBase,
        MICROSOFT_APP_PASSWORD: 'x',
        GRAPH_BASE_URL: 'http://graph.microsoft.com/v1.0',
      }),
    ).toMatch(/^Configuration: GRAPH_BASE_URL must be https/);
  });

  it('checks the alert hour, the Graph request timeout and the officer list', () => {
    const ok = { ...productionBase, MICROSOFT_APP_PASSWORD: 'x' };
    expect(refusal({ ...ok, ALERT_HOUR: '24' })).toBe(
      "Configuration: ALERT_HOUR must be a whole hour 0-23 (got '24')",
    );
    expect(refusal({ ...ok, GRAPH_REQUEST_TIMEOUT_SECONDS: '0' })).toBe(
      "Configuration: GRAPH_REQUEST_TIMEOUT_SECONDS must be whole seconds 1-120 (got '0')",
    );
    expect(loadConfig({ ...ok, GRAPH_REQUEST_TIMEOUT_SECONDS: '45' }).graph.requestTimeoutMs).toBe(45_000);
    expect(refusal({ ...ok, BUSINESS_UNIT_USERS: 'someone, a@b.gov.uk' })).toMatch(
      /^Configuration: BUSINESS_UNIT_USERS must list Entra object ids/,
    );
    expect(refusal({ ...ok, BUSINESS_UNIT_USERS: ' , ' })).toMatch(
      /^Configuration: BUSINESS_UNIT_USERS is required in production/,
    );
  });

  it('reads where each role’s notices go, and names a malformed NOTICE_CHANNELS', () => {
    const ok = { ...productionBase, MICROSOFT_APP_PASSWORD: 'x' };
    const config = loadConfig({ ...ok, NOTICE_CHANNELS: '{"NYSCP Chair":"19:chair@thread.tacv2"}' });
    expect(config.settings.noticeChannels?.get('NYSCP Chair')).toBe('19:chair@thread.tacv2');
    expect(loadConfig(ok).settings.noticeChannels).toBeUndefined();
    for (const bad of ['NYSCP Chair=19:x@thread.tacv2', '["19:x@thread.tacv2"]', '{"Chair":"General"}']) {
      expect(refusal({ ...ok, NOTICE_CHANNELS: bad })).toMatch(
        /^Configuration: NOTICE_CHANNELS must be a JSON object from role names to Teams channel ids/,
      );
    }
  });

  it('parses a client-secret configuration with its defaults', () => {
    const config = loadConfig({
      ...productionBase,
      MICROSOFT_APP_PASSWORD: 's3cret',
      PORT: '',
      LOG_LEVEL: '',
    });
    expect(config.mode).toBe('production');
    if (config.mode !== 'production') return;
    expect(config.identity).toEqual({
      appId: APP_ID,
      tenantId: TENANT_ID,
      appType: 'SingleTenant',
      credential: { kind: 'secret', password: 's3cret' },
    });
    expect(config.nodeEnv).toBe('production');
    expect(config.server).toEqual({ host: '0.0.0.0', port: 3978 });
    expect(config.graph).toEqual({
      baseUrl: 'https://graph.microsoft.com/v1.0',
      credential: 'secret',
      requestTimeoutMs: 30_000,
    });
    expect(config.store).toEqual({
      kind: 'sqlite',
      path: './data/rapid-review.db',
      dataKeys: productionBase.DATA_ENCRYPTION_KEYS,
    });
    expect(config.settings).toEqual({
      teamId: TEAM_ID,
      businessUnitChannelId: '19:a1b2c3d4e5f6@thread.tacv2',
      defaultProfileId: 'england',
      businessUnit: {
        aadObjectIds: ['9b8a7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d'],
        emails: ['officer.one@partnership.gov.uk'],
      },
      chair: { name: 'Dr Chair', email: 'chair@partnership.gov.uk' },
      meetingOrganizer: 'rapid-review@partnership.gov.uk',
      teamsAppId: 'd1e2f3a4-b5c6-4d7e-8f90-a1b2c3d4e5f6',
      reportsDir: './data/reports',
    });
    expect(config.alertHour).toBeUndefined();
    expect(config.logLevel).toBe('info');
  });

  it('parses the Azure deployment: managed identity, PostgreSQL with Entra auth', () => {
    const config = loadConfig({
      ...productionBase,
      MICROSOFT_APP_ID: APP_ID.toUpperCase(),
      MICROSOFT_APP_MANAGED_IDENTITY_CLIENT_ID: APP_ID,
      MICROSOFT_APP_TYPE: 'SingleTenant',
      STORE: 'postgres',
      DATABASE_URL: 'postgres://id-rapid-review@psql-rr.postgres.database.azure.com:5432/rapidreview',
      DATABASE_AUTH: 'entra',
      DATABASE_MANAGED_IDENTITY_CLIENT_ID: TENANT_ID.toUpperCase(),
      PORT: '8080',
      PROFILE: 'north-yorkshire',
      PROFILES_DIR: '/home/site/profiles',
      ALERT_HOUR: '8',
      LOG_LEVEL: 'warn',
    });
    if (config.mode !== 'production') throw new Error('expected production');
    expect(config.identity.appId).toBe(APP_ID);
    expect(config.identity.credential).toEqual({ kind: 'managed-identity', clientId: APP_ID });
    expect(config.graph.credential).toBe('managed-identity');
    expect(config.store).toEqual({
      kind: 'postgres',
      url: 'postgres://id-rapid-review@psql-rr.postgres.database.azure.com:5432/rapidreview',
      ssl: true,
      auth: 'entra',
      managedIdentityClientId: TENANT_ID,
      dataKeys: productionBase.DATA_ENCRYPTION_KEYS,
    });
    expect(config.server.port).toBe(8080);
    expect(config.settings.defaultProfileId).toBe('north-yorkshire');
    expect(config.profilesDir).toBe('/home/site/profiles');
    expect(config.alertHour).toBe(8);
    expect(config.logLevel).toBe('warn');
  });

  it('parses a certificate credential', () => {
    const config = loadConfig({
      ...productionBase,
      MICROSOFT_APP_CERT_THUMBPRINT: 'ab'.repeat(20),
      MICROSOFT_APP_CERT_KEY_FILE: '/etc/rapid-review/bot.pem',
    });
    if (config.mode !== 'production') throw new Error('expected production');
    expect(config.identity.credential).toEqual({
      kind: 'certificate',
      thumbprint: 'AB'.repeat(20),
      keyFile: '/etc/rapid-review/bot.pem',
    });
    expect(config.graph.credential).toBe('certificate');
  });

  it('refuses a password in DATABASE_URL when the database uses Entra tokens', () => {
    expect(
      refusal({
        ...productionBase,
        MICROSOFT_APP_PASSWORD: 'x',
        STORE: 'postgres',
        DATABASE_URL: 'postgres://bot:pw@db.example/rr',
        DATABASE_AUTH: 'entra',
      }),
    ).toMatch(/^Configuration: DATABASE_URL must not carry a password when DATABASE_AUTH=entra/);
  });
});

describe('data encryption keys', () => {
  const withPassword = { ...productionBase, MICROSOFT_APP_PASSWORD: 'x' };

  it('refuses to start in production without keys, or with the public development key', () => {
    expect(refusal({ ...withPassword, DATA_ENCRYPTION_KEYS: undefined })).toMatch(
      /^Configuration: DATA_ENCRYPTION_KEYS is required in production/,
    );
    expect(refusal({ ...withPassword, DATA_ENCRYPTION_KEYS: developmentKeySetting })).toMatch(
      /^Configuration: DATA_ENCRYPTION_KEYS must not hold the public development key/,
    );
  });

  it('refuses a key that is not 256 bits, without echoing the keys', () => {
    const short = `k1:${Buffer.alloc(16, 7).toString('base64')}`;
    const message = refusal({ ...withPassword, DATA_ENCRYPTION_KEYS: short });
    expect(message).toMatch(/^Configuration: DATA_ENCRYPTION_KEYS must be keyId:base64key .*256 bits/);
    expect(message).not.toContain(short.slice(3));
  });

  it('passes the keys to the store, and lets local mode run on the development key', () => {
    const keys = `new:${Buffer.alloc(32, 1).toString('base64')},old:${Buffer.alloc(32, 2).toString('base64')}`;
    expect(loadConfig({ ...withPassword, DATA_ENCRYPTION_KEYS: keys }).store).toMatchObject({
      dataKeys: keys,
    });
    expect(loadConfig({ RR_MODE: 'local' }).store).toEqual({
      kind: 'sqlite',
      path: './data/rapid-review.db',
    });
  });
});

describe('meeting settings in production', () => {
  it.each(['REVIEW_CHAIR_EMAIL', 'MEETING_ORGANIZER', 'TEAMS_APP_ID'])(
    'refuses to start without %s: no review meeting could be booked',
    (name) => {
      expect(refusal({ ...productionBase, MICROSOFT_APP_PASSWORD: 'x', [name]: undefined })).toMatch(
        new RegExp(`^Configuration: ${name} is required in production`),
      );
    },
  );

  it('refuses a PEM certificate that was not written to a key file first', () => {
    expect(
      refusal({
        ...productionBase,
        MICROSOFT_APP_CERT_THUMBPRINT: 'ab'.repeat(20),
        MICROSOFT_APP_CERT_KEY_FILE: '/x.pem',
        MICROSOFT_APP_CERT_PEM: '-----BEGIN',
      }),
    ).toMatch(/^Configuration: MICROSOFT_APP_CERT_PEM must be written to a key file first/);
  });
});

describe('local mode', () => {
  it('listens on loopback only and needs no tenant', () => {
    const config = loadConfig({ RR_MODE: 'local' });
    expect(config.mode).toBe('local');
    expect(config.server.host).toBe('127.0.0.1');
    expect(config.graph.credential).toBe('none');
    expect(config.nodeEnv).toBe('development');
  });

  it('refuses HOST=0.0.0.0', () => {
    expect(refusal({ RR_MODE: 'local', HOST: '0.0.0.0' })).toBe(
      "Configuration: HOST must be a loopback address (127.0.0.1, ::1 or localhost) when RR_MODE=local (got '0.0.0.0')",
    );
  });

  it('keeps another loopback address', () => {
    expect(loadConfig({ RR_MODE: 'local', HOST: '::1' }).server.host).toBe('::1');
  });

  it('is refused when NODE_ENV=production', () => {
    expect(refusal({ RR_MODE: 'local', NODE_ENV: 'production' })).toMatch(
      /^Configuration: RR_MODE must not be 'local' when NODE_ENV=production/,
    );
  });

  it('allows plain http to a local Graph sandbox, and only there', () => {
    expect(
      loadConfig({ RR_MODE: 'local', GRAPH_BASE_URL: 'http://127.0.0.1:4010/v1.0/' }).graph.baseUrl,
    ).toBe('http://127.0.0.1:4010/v1.0');
    expect(refusal({ RR_MODE: 'local', GRAPH_BASE_URL: 'http://graph.example/v1.0' })).toMatch(
      /GRAPH_BASE_URL/,
    );
  });

  it('has to be asked for by name', () => {
    expect(refusal({ RR_MODE: 'dev' })).toBe(
      "Configuration: RR_MODE must be 'production' or 'local' (got 'dev')",
    );
  });
});

describe('docs/deploy.md', () => {
  /** The rows of the one table whose header is | Variable | Required | Default | Description |. */
  function documentedVariables(): { name: string; required: string; default: string }[] {
    const lines = readFileSync(join(__dirname, '..', 'docs', 'deploy.md'), 'utf8').split('\n');
    const cells = (line: string) =>
      line
        .trim()
        .replace(/^\||\|$/g, '')
        .split('|')
        .map((cell) => cell.trim());
    const headers = lines
      .map((line, index) => ({ line, index }))
      .filter(({ line }) => cells(line).join('|') === 'Variable|Required|Default|Description');
    expect(headers).toHaveLength(1);
    const rows: { name: string; required: string; default: string }[] = [];
    for (const line of lines.slice(headers[0].index + 2)) {
      if (!line.trim().startsWith('|')) break;
      const [name, required, defaultValue] = cells(line);
      rows.push({ name: name.replace(/`/g, ''), required, default: defaultValue.replace(/`/g, '') });
    }
    return rows;
  }

  it('lists exactly the variables the bot reads, with the same requirement and default', () => {
    const documented = documentedVariables();
    expect(documented.map((row) => row.name)).toEqual(configVariables.map((v) => v.name));
    for (const variable of configVariables) {
      const row = documented.find((r) => r.name === variable.name);
      expect({ name: variable.name, required: row?.required, default: row?.default }).toEqual({
        name: variable.name,
        required: variable.required,
        default: variable.default ?? '—',
      });
    }
  });
});
