import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore } from '../review/openStore';
import { runCli } from './main';

let dir: string;
let path: string;
const saved = { ...process.env };

async function run(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(argv, { out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out, err };
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'rr-directory-cli-'));
  path = join(dir, 'reviews.db');
  process.env = { ...saved, RR_MODE: 'local', STORE: 'sqlite', SQLITE_PATH: path };
});

afterEach(() => {
  process.env = { ...saved };
  rmSync(dir, { recursive: true, force: true });
});

describe('rapid-review directory import', () => {
  it('imports a CSV into the bot’s store, audited, and shows it', async () => {
    const file = join(dir, 'directory.csv');
    writeFileSync(
      file,
      [
        'role,agency,kind,name,email',
        'representative,Exampleshire Constabulary,police,Sam Specimen,sam@police.example.org',
        'lead,Exampleshire Constabulary,police,Jordan Mocklead,jordan@police.example.org',
        'representative,Oakfield Primary School,education,Quinn Madeup,quinn@school.example.org',
        'chair,,,Chris Chair,chris@example.org',
      ].join('\n'),
    );
    const result = await run('directory', 'import', file);
    expect(result).toMatchObject({ code: 0, err: [] });
    expect(result.out[0]).toBe('2 agencies, 1 chairs, 0 officers (version 1)');
    const store = await openStore({ kind: 'sqlite', path });
    try {
      expect((await store.getDirectory()).agencies[0].lead?.email).toBe('jordan@police.example.org');
      const [line] = await store.auditTrail('partnership-directory');
      expect(line).toMatchObject({ action: 'directory.imported' });
      expect(JSON.stringify(line.actor)).toContain('rapid-review directory import');
    } finally {
      await store.close();
    }
  });

  it('imports JSON, and a file with a problem changes nothing and names the field', async () => {
    const good = join(dir, 'directory.json');
    writeFileSync(good, JSON.stringify({ agencies: [{ name: 'Exampleshire ICB', kind: 'icb' }] }));
    expect((await run('directory', 'import', good)).code).toBe(0);
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, JSON.stringify({ agencies: [{ name: 'X', kind: 'bakery' }] }));
    const refused = await run('directory', 'import', bad);
    expect(refused.code).toBe(1);
    expect(refused.err[0]).toContain('agencies[0].kind: Must be one of');
    expect((await run('directory', 'show')).out[0]).toBe('1 agencies, 0 chairs, 0 officers (version 1)');
  });
});
