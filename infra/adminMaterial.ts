/**
 * The admin material produced from the lists the code itself uses: the Graph permission tables of
 * docs/deploy.md and the grant script's permission list come from infra/graph-permissions.json, and the
 * configuration table from bot/config.ts. Each generated block sits between markers in its file;
 * `rapid-review permissions --write` rewrites the blocks, and infra/adminMaterial.test.ts fails when
 * a file has drifted from its source.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { configVariables } from '../bot/config';
import declared from './graph-permissions.json';

export interface ApplicationPermission {
  name: string;
  why: string;
  calls: string[];
  accessPolicy?: boolean;
}

export interface ResourceSpecificPermission {
  name: string;
  type: string;
  scope: string;
  why: string;
  calls: string[];
}

export const applicationPermissions: readonly ApplicationPermission[] = declared.application;
export const resourceSpecificPermissions: readonly ResourceSpecificPermission[] = declared.resourceSpecific;

/** The folder holding package.json: this file runs from the sources and from dist/infra. */
export function repoRoot(start: string = __dirname): string {
  let dir = start;
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`no package.json above ${start}`);
    dir = parent;
  }
  return dir;
}

const calls = (list: readonly string[]) =>
  list.length === 0 ? 'none (Bot Framework events)' : list.map((call) => `\`${call}\``).join('<br>');
const cell = (text: string) => text.replace(/\|/g, '\\|');

export function applicationPermissionTable(): string {
  return [
    '| Permission (application) | Why the bot needs it | Calls | Also needs |',
    '| --- | --- | --- | --- |',
    ...applicationPermissions.map(
      (p) =>
        `| \`${p.name}\` | ${cell(p.why)} | ${calls(p.calls)} | ${p.accessPolicy ? 'Teams application access policy (section 6)' : '—'} |`,
    ),
  ].join('\n');
}

export function resourceSpecificTable(): string {
  return [
    '| Permission (RSC, application) | Granted in | Why the bot needs it | Calls |',
    '| --- | --- | --- | --- |',
    ...resourceSpecificPermissions.map(
      (p) =>
        `| \`${p.name}\` | ${p.scope === 'team' ? 'the business unit team' : 'each meeting chat'} | ${cell(p.why)} | ${calls(p.calls)} |`,
    ),
  ].join('\n');
}

export function configVariableTable(): string {
  return [
    '| Variable | Required | Default | Description |',
    '| --- | --- | --- | --- |',
    ...configVariables.map(
      (v) => `| \`${v.name}\` | ${v.required} | ${v.default ?? '—'} | ${cell(v.description)} |`,
    ),
  ].join('\n');
}

/** The PowerShell array literal of the grant script. */
export function grantScriptPermissions(): string {
  const names = applicationPermissions.map((p) => `  '${p.name}'`);
  return ['$permissions = @(', names.join(',\n'), ')'].join('\n');
}

export interface GeneratedBlock {
  file: string;
  name: string;
  render: () => string;
}

export const generatedBlocks: readonly GeneratedBlock[] = [
  { file: 'docs/deploy.md', name: 'config-variables', render: configVariableTable },
  { file: 'docs/deploy.md', name: 'application-permissions', render: applicationPermissionTable },
  { file: 'docs/deploy.md', name: 'rsc-permissions', render: resourceSpecificTable },
  { file: 'infra/azure/grant-graph-permissions.ps1', name: 'permissions', render: grantScriptPermissions },
];

function markers(file: string, name: string): [string, string] {
  return file.endsWith('.md')
    ? [
        `<!-- generated:${name} from infra/adminMaterial.ts; do not edit -->`,
        `<!-- end generated:${name} -->`,
      ]
    : [`# generated:${name} from infra/adminMaterial.ts; do not edit`, `# end generated:${name}`];
}

/** The text between a block's markers, or undefined when the markers are missing. */
export function blockIn(text: string, file: string, name: string): string | undefined {
  const [begin, end] = markers(file, name);
  const start = text.indexOf(begin);
  const stop = text.indexOf(end);
  if (start < 0 || stop < start) return undefined;
  return text
    .slice(start + begin.length, stop)
    .replace(/^\r?\n/, '')
    .replace(/\r?\n$/, '');
}

export function replaceBlock(text: string, file: string, name: string, content: string): string {
  const [begin, end] = markers(file, name);
  const start = text.indexOf(begin);
  const stop = text.indexOf(end);
  if (start < 0 || stop < start) throw new Error(`${file}: no markers for generated block '${name}'`);
  return `${text.slice(0, start + begin.length)}\n${content}\n${text.slice(stop)}`;
}

/** Rewrites every generated block; returns the files that changed. */
export function writeGeneratedBlocks(root: string = repoRoot()): string[] {
  const changed = new Set<string>();
  for (const file of new Set(generatedBlocks.map((b) => b.file))) {
    const path = join(root, file);
    const before = readFileSync(path, 'utf8');
    let after = before;
    for (const block of generatedBlocks.filter((b) => b.file === file)) {
      after = replaceBlock(after, file, block.name, block.render());
    }
    if (after !== before) {
      writeFileSync(path, after);
      changed.add(file);
    }
  }
  return [...changed];
}
