import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import JSZip from 'jszip';
import { PNG } from 'pngjs';
import { drawColorIcon, drawOutlineIcon } from './drawIcons';
import {
  PackageError,
  fillPlaceholders,
  loadManifestSchema,
  packageTeamsApp,
  placeholderSources,
  placeholderValues,
  validateManifest,
} from './package';

const folder = __dirname;
const BOT_ID = '0f1e2d3c-4b5a-4978-8a6b-5c4d3e2f1a00';
const sampleEnv: NodeJS.ProcessEnv = {
  MICROSOFT_APP_ID: BOT_ID,
  BOT_DOMAIN: 'rr-bot-example.azurewebsites.net',
  TEAMS_APP_DEVELOPER_NAME: 'Example Safeguarding Partnership',
  TEAMS_APP_WEBSITE_URL: 'https://safeguarding.example.gov.uk',
  TEAMS_APP_PRIVACY_URL: 'https://safeguarding.example.gov.uk/privacy',
  TEAMS_APP_TERMS_URL: 'https://safeguarding.example.gov.uk/terms',
};

type Json = Record<string, unknown>;
const template = (): Json => JSON.parse(readFileSync(join(folder, 'manifest.json'), 'utf8')) as Json;
const filled = (): Json => fillPlaceholders(template(), placeholderValues(sampleEnv, '1.2.3')) as Json;
const schema = loadManifestSchema();

describe('Teams app manifest', () => {
  it('validates against the official 1.29 schema once its placeholders are filled', () => {
    expect(validateManifest(filled(), schema)).toEqual([]);
  });

  it('declares a manifest version of 1.25 or later, matching its $schema', () => {
    const manifest = template();
    const version = String(manifest.manifestVersion);
    expect(Number(version.split('.')[1])).toBeGreaterThanOrEqual(25);
    expect(manifest.$schema).toBe(
      `https://developer.microsoft.com/en-us/json-schemas/teams/v${version}/MicrosoftTeams.schema.json`,
    );
  });

  it('offers the commands of each scope and takes no files', () => {
    const [bot] = filled().bots as Json[];
    expect(bot.botId).toBe(BOT_ID);
    expect(bot.scopes).toEqual(['personal', 'team', 'groupChat']);
    expect(bot.supportsFiles).toBe(false);
    const commands = Object.fromEntries(
      (bot.commandLists as { scopes: string[]; commands: { title: string }[] }[]).map((list) => [
        list.scopes.join(','),
        list.commands.map((command) => command.title),
      ]),
    );
    // Generated from the bot's route table (bot/flows/routes.test.ts proves each is accepted there).
    expect(commands).toEqual({
      personal: ['open review', 'status', 'directory', 'help'],
      team: [
        'open review',
        'status',
        'directory',
        'help',
        'meeting',
        'attendance',
        'quorum',
        'outcome',
        'sign-off',
        'report',
        'close',
      ],
      groupChat: ['status', 'quorum', 'outcome', 'help'],
    });
  });

  it('asks only for the resource-specific permissions the bot and its doctor use, and works in private and shared channels', () => {
    const manifest = filled();
    const rsc = (
      manifest.authorization as { permissions: { resourceSpecific: { name: string; type: string }[] } }
    ).permissions.resourceSpecific;
    expect(rsc.map((p) => `${p.name}:${p.type}`).sort()).toEqual([
      'Channel.Create.Group:Application',
      'ChannelMember.ReadWrite.Group:Application',
      'ChannelMessage.Read.Group:Application',
      'ChannelSettings.Read.Group:Application',
      'OnlineMeeting.ReadBasic.Chat:Application',
      'OnlineMeetingParticipant.Read.Chat:Application',
      'TeamsAppInstallation.Read.Group:Application',
    ]);
    expect(manifest.webApplicationInfo).toEqual({ id: BOT_ID, resource: `api://botid-${BOT_ID}` });
    expect(manifest.supportsChannelFeatures).toBe('tier1');
    expect(manifest.validDomains).toEqual(['rr-bot-example.azurewebsites.net']);
    expect(manifest.version).toBe('1.2.3');
  });

  it('rejects a broken manifest, naming the path of each problem', () => {
    const manifest = filled();
    const [bot] = manifest.bots as Json[];
    bot.botId = 'not-a-guid';
    bot.supportsFilez = false;
    manifest.supportsChannelFeatures = 'tier2';
    delete manifest.accentColor;
    const problems = validateManifest(manifest, schema);
    expect(problems).toEqual(
      expect.arrayContaining([
        '/bots/0/botId must match pattern "^[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$"',
        '/bots/0/supportsFilez is not allowed',
        '/supportsChannelFeatures must be one of "tier1", null',
        "/ must have required property 'accentColor'",
      ]),
    );
  });

  it('has a source for every placeholder it holds', () => {
    const names = [...JSON.stringify(template()).matchAll(/\$\{\{([A-Z0-9_]+)\}\}/g)].map((m) => m[1]);
    expect(names.length).toBeGreaterThan(0);
    expect(names.filter((name) => !(name in placeholderSources))).toEqual([]);
  });

  it('refuses to fill a placeholder that has no value, in one line naming the variable to set', () => {
    const { BOT_DOMAIN: _unset, ...withoutDomain } = sampleEnv;
    expect(() => fillPlaceholders(template(), placeholderValues(withoutDomain, '1.2.3'))).toThrow(
      new PackageError('placeholder without a value: ${{BOT_DOMAIN}} (set BOT_DOMAIN)'),
    );
  });

  it('refuses a URL where a bare domain belongs', () => {
    expect(() =>
      placeholderValues({ ...sampleEnv, BOT_DOMAIN: 'https://rr-bot.example.net/' }, '1.0.0'),
    ).toThrow(/BOT_DOMAIN must be a host name without scheme or path/);
  });
});

describe('Teams app icons', () => {
  const read = (name: string) => PNG.sync.read(readFileSync(join(folder, name)));

  it('are PNGs of exactly 192x192 (colour) and 32x32 (outline)', () => {
    for (const [name, size] of [
      ['color.png', 192],
      ['outline.png', 32],
    ] as const) {
      const bytes = readFileSync(join(folder, name));
      expect(bytes.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
      const png = read(name);
      expect([png.width, png.height]).toEqual([size, size]);
    }
  });

  it('draws the outline icon in white on transparency only', () => {
    const png = read('outline.png');
    let visible = 0;
    for (let at = 0; at < png.data.length; at += 4) {
      const [r, g, b, a] = png.data.subarray(at, at + 4);
      if (a === 0) continue;
      visible++;
      expect([r, g, b]).toEqual([255, 255, 255]);
    }
    // A mark, not an empty or filled square.
    expect(visible).toBeGreaterThan(32 * 32 * 0.1);
    expect(visible).toBeLessThan(32 * 32 * 0.6);
  });

  it('are what infra/teams/drawIcons.ts draws (regenerate them after changing it)', () => {
    expect(read('color.png').data.equals(drawColorIcon().data)).toBe(true);
    expect(read('outline.png').data.equals(drawOutlineIcon().data)).toBe(true);
  });
});

describe('packageTeamsApp', () => {
  let output: string;
  beforeEach(() => {
    output = mkdtempSync(join(tmpdir(), 'rr-teams-package-'));
  });
  afterEach(() => rmSync(output, { recursive: true, force: true }));

  it('writes rapid-review-<version>.zip holding the filled manifest and both icons at its root', async () => {
    const { zipPath } = await packageTeamsApp({ env: sampleEnv, outputFolder: output, version: '2.0.1' });
    expect(zipPath).toBe(join(output, 'rapid-review-2.0.1.zip'));
    const zip = await JSZip.loadAsync(readFileSync(zipPath));
    expect(Object.keys(zip.files).sort()).toEqual(['color.png', 'manifest.json', 'outline.png']);
    const manifestText = await zip.file('manifest.json')!.async('string');
    expect(manifestText).not.toContain('${{');
    const manifest = JSON.parse(manifestText) as Json;
    expect(manifest.id).toBe(BOT_ID);
    expect(manifest.version).toBe('2.0.1');
    expect(validateManifest(manifest, schema)).toEqual([]);
    expect(
      (await zip.file('color.png')!.async('nodebuffer')).equals(readFileSync(join(folder, 'color.png'))),
    ).toBe(true);
    expect(
      (await zip.file('outline.png')!.async('nodebuffer')).equals(readFileSync(join(folder, 'outline.png'))),
    ).toBe(true);
  });

  it('writes nothing when the bot id is not a GUID', async () => {
    await expect(
      packageTeamsApp({ env: { ...sampleEnv, MICROSOFT_APP_ID: 'rapid-review' }, outputFolder: output }),
    ).rejects.toThrow(
      /^Teams package: manifest.json does not match the Teams schema: \/id must match pattern/,
    );
    expect(() => readFileSync(join(output, 'rapid-review-0.1.0.zip'))).toThrow();
  });
});
