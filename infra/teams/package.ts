/**
 * Builds the Teams app package an administrator uploads: manifest.json with its placeholders filled,
 * checked against Microsoft's official manifest schema, plus the two icons, zipped.
 *
 *   npm run package   →   infra/teams/build/rapid-review-<version>.zip
 *
 * Placeholder values come from the same environment the bot runs with (BOT_ID is MICROSOFT_APP_ID),
 * so the package and the running bot cannot disagree about the bot's identity.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import JSZip from 'jszip';
import { repositoryRoot, teamsFolder } from './layout';

export class PackageError extends Error {
  constructor(message: string) {
    super(`Teams package: ${message}`);
    this.name = 'PackageError';
  }
}

/** Each placeholder the manifest may hold, and where its value comes from. */
export const placeholderSources: Record<string, string> = {
  BOT_ID: 'MICROSOFT_APP_ID',
  BOT_DOMAIN: 'BOT_DOMAIN',
  APP_VERSION: 'package.json version',
  TEAMS_APP_DEVELOPER_NAME: 'TEAMS_APP_DEVELOPER_NAME',
  TEAMS_APP_WEBSITE_URL: 'TEAMS_APP_WEBSITE_URL',
  TEAMS_APP_PRIVACY_URL: 'TEAMS_APP_PRIVACY_URL',
  TEAMS_APP_TERMS_URL: 'TEAMS_APP_TERMS_URL',
};

const PLACEHOLDER = /\$\{\{([A-Z0-9_]+)\}\}/g;

export function appVersion(root = repositoryRoot()): string {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version?: unknown };
  if (typeof pkg.version !== 'string') throw new PackageError('package.json has no version');
  return pkg.version;
}

/** The placeholder values from an environment; a missing one is simply absent (fillPlaceholders says so). */
export function placeholderValues(env: NodeJS.ProcessEnv, version: string): Record<string, string> {
  const values: Record<string, string> = { APP_VERSION: version };
  for (const [placeholder, source] of Object.entries(placeholderSources)) {
    const value = env[source]?.trim();
    if (value) values[placeholder] = value;
  }
  const domain = values.BOT_DOMAIN;
  // validDomains holds bare host names; a URL there is accepted by the schema but rejected by Teams.
  if (domain !== undefined && !/^[A-Za-z0-9.-]+(:\d+)?$/.test(domain)) {
    throw new PackageError(
      `BOT_DOMAIN must be a host name without scheme or path, e.g. rr-bot.azurewebsites.net (got '${domain}')`,
    );
  }
  return values;
}

/** Replaces every ${{NAME}} inside the manifest's strings; refuses if any has no value. */
export function fillPlaceholders(manifest: unknown, values: Record<string, string>): unknown {
  const missing = new Set<string>();
  const fill = (node: unknown): unknown => {
    if (typeof node === 'string') {
      return node.replace(PLACEHOLDER, (whole, name: string) => {
        const value = values[name];
        if (value === undefined) {
          missing.add(name);
          return whole;
        }
        return value;
      });
    }
    if (Array.isArray(node)) return node.map(fill);
    if (node !== null && typeof node === 'object') {
      return Object.fromEntries(Object.entries(node).map(([key, value]) => [key, fill(value)]));
    }
    return node;
  };
  const filled = fill(manifest);
  if (missing.size > 0) {
    const names = [...missing].map((name) => `\${{${name}}} (set ${placeholderSources[name] ?? name})`);
    throw new PackageError(
      `placeholder${missing.size === 1 ? '' : 's'} without a value: ${names.join(', ')}`,
    );
  }
  return filled;
}

export function loadManifestSchema(root = repositoryRoot()): object {
  return JSON.parse(
    readFileSync(join(root, 'test', 'fixtures', 'schemas', 'teams-manifest-1.29.schema.json'), 'utf8'),
  ) as object;
}

function describeError(error: ErrorObject): string {
  const path = error.instancePath === '' ? '/' : error.instancePath;
  if (error.keyword === 'additionalProperties') {
    return `${path === '/' ? '' : path}/${String(error.params.additionalProperty)} is not allowed`;
  }
  if (error.keyword === 'enum') {
    return `${path} must be one of ${(error.params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`;
  }
  return `${path} ${error.message ?? 'is invalid'}`;
}

/**
 * Validates a manifest against the official schema; returns one line per problem, each naming the
 * JSON path (empty when the manifest is valid).
 */
const compiled = new WeakMap<object, ValidateFunction>();

export function validateManifest(manifest: unknown, schema: object = loadManifestSchema()): string[] {
  const validate = compiled.get(schema) ?? compileSchema(schema);
  compiled.set(schema, validate);
  if (validate(manifest)) return [];
  // anyOf/oneOf branches repeat the same complaint; one line each is enough.
  return [...new Set((validate.errors ?? []).map(describeError))];
}

function compileSchema(schema: object): ValidateFunction {
  // The official schema declares draft-04, whose meta-schema ajv 8 does not ship. The `$schema`
  // keyword only chooses the meta-schema used to check the schema itself, so that check is switched
  // off (validateSchema: false) instead of editing Microsoft's file. Instance validation is unchanged:
  // the schema uses no draft-04-only semantics (no boolean exclusiveMinimum/Maximum, no `id` used as a
  // schema id), and the later keywords it does use (const, if/then) are ones ajv 8 implements.
  // strict: false because the schema carries keywords ajv does not know, which it should ignore.
  const ajv = new Ajv({ strict: false, validateSchema: false, allErrors: true });
  ajv.addFormat('uri', (value: string) => {
    try {
      new URL(value);
      return true;
    } catch {
      return false;
    }
  });
  return ajv.compile(schema);
}

export interface PackageOptions {
  env?: NodeJS.ProcessEnv;
  /** Where manifest.json and the icons are; default infra/teams/. */
  sourceFolder?: string;
  /** Where the zip goes; default infra/teams/build/. */
  outputFolder?: string;
  version?: string;
}

export interface PackageResult {
  zipPath: string;
  manifest: unknown;
}

/** Fills, validates and zips the Teams app; throws PackageError with one line when anything is wrong. */
export async function packageTeamsApp(options: PackageOptions = {}): Promise<PackageResult> {
  const source = options.sourceFolder ?? teamsFolder();
  const output = options.outputFolder ?? join(source, 'build');
  const version = options.version ?? appVersion();
  const template = JSON.parse(readFileSync(join(source, 'manifest.json'), 'utf8')) as unknown;
  const manifest = fillPlaceholders(template, placeholderValues(options.env ?? process.env, version));
  const problems = validateManifest(manifest);
  if (problems.length > 0) {
    throw new PackageError(`manifest.json does not match the Teams schema: ${problems.join('; ')}`);
  }
  const zip = new JSZip();
  // Teams wants the three files at the root of the zip, not in a folder.
  zip.file('manifest.json', `${JSON.stringify(manifest, null, 2)}\n`);
  zip.file('color.png', readFileSync(join(source, 'color.png')));
  zip.file('outline.png', readFileSync(join(source, 'outline.png')));
  const bytes = await zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' });
  mkdirSync(output, { recursive: true });
  const zipPath = join(output, `rapid-review-${version}.zip`);
  writeFileSync(zipPath, bytes);
  return { zipPath, manifest };
}

if (require.main === module) {
  packageTeamsApp().then(
    ({ zipPath }) => process.stdout.write(`Wrote ${relative(process.cwd(), zipPath)}\n`),
    (error: unknown) => {
      process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
      process.exitCode = 1;
    },
  );
}
