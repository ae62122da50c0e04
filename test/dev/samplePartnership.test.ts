import fs from 'node:fs';
import path from 'node:path';
import { loadConfig } from '../../bot/config';
import { actorOf } from '../../bot/flows/deps';
import { directoryOf } from '../../review/directory';
import {
  playgroundConfigYaml,
  sampleBotEnv,
  sampleDirectoryImport,
  samplePeople,
  samplePerson,
  spareReviewChannels,
} from './samplePartnership';

const committed = path.join(__dirname, '..', '..', '.m365agentsplayground.yml');

/** The `key: 'value'` pairs of one block of the rendered YAML (enough to read our own output). */
function valuesUnder(yaml: string, block: string): string[] {
  const lines = yaml.split('\n');
  const start = lines.indexOf(`${block}:`);
  const body: string[] = [];
  for (const line of lines.slice(start + 1)) {
    if (!line.startsWith(' ')) break;
    body.push(line);
  }
  return body;
}

describe('the sample partnership of the local run', () => {
  it('is what the committed playground config holds', () => {
    expect(fs.readFileSync(committed, 'utf8')).toBe(playgroundConfigYaml());
  });

  it('fits the playground schema: one current user, exactly five others, one channel besides General', () => {
    const yaml = playgroundConfigYaml();
    expect(valuesUnder(yaml, 'currentUser').join('\n')).toContain("name: 'Bea Unit'");
    expect(valuesUnder(yaml, 'users').filter((l) => l.startsWith('  - id:'))).toHaveLength(5);
    expect(valuesUnder(yaml, 'team').filter((l) => l.startsWith('    - id:'))).toHaveLength(1);
    expect(samplePeople).toHaveLength(6);
    expect(spareReviewChannels.length).toBeLessThanOrEqual(1);
    const ids = [...samplePeople.map((p) => p.id), ...samplePeople.map((p) => p.aadObjectId)];
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('puts another person at the keyboard for --as, keeping the other five in the team', () => {
    const yaml = playgroundConfigYaml('police');
    expect(valuesUnder(yaml, 'currentUser').join('\n')).toContain("name: 'Pete Constable'");
    const users = valuesUnder(yaml, 'users').join('\n');
    expect(users).toContain("name: 'Bea Unit'");
    expect(users).not.toContain('Pete Constable');
    expect(() => playgroundConfigYaml('nobody')).toThrow(/no sample person/);
  });

  it('finds people by key, name, first name or email, whatever the case', () => {
    expect(samplePerson('POLICE')?.name).toBe('Pete Constable');
    expect(samplePerson('pete constable')?.key).toBe('police');
    expect(samplePerson('Sam')?.key).toBe('school');
    expect(samplePerson('isla.board@icb.example')?.key).toBe('icb');
    expect(samplePerson('Olly')).toBeUndefined();
  });

  it('makes the officer, and only the officer, the business unit in the bot’s configuration', () => {
    const config = loadConfig({ ...sampleBotEnv(), NODE_ENV: 'development' });
    expect(config.mode).toBe('local');
    for (const p of samplePeople) {
      const actor = actorOf(config.settings.businessUnit, { aadObjectId: p.aadObjectId, name: p.name });
      expect({ key: p.key, businessUnit: actor.businessUnit }).toEqual({
        key: p.key,
        businessUnit: p.key === 'officer',
      });
    }
  });

  it('has a directory the bot imports: each agency with its person, partner leads for the statutory partners, the chair', () => {
    const directory = directoryOf(sampleDirectoryImport());
    expect(directory.agencies.map((a) => [a.kind, a.representatives[0].email, a.lead?.email])).toEqual([
      ['local-authority', 'lara.authority@council.example', 'lara.authority@council.example'],
      ['police', 'pete.constable@police.example', 'pete.constable@police.example'],
      ['icb', 'isla.board@icb.example', 'isla.board@icb.example'],
      ['education', 'sam.teacher@school.example', undefined],
    ]);
    expect(directory.chairs.map((c) => c.email)).toEqual(['chris.chair@partnership.example']);
  });
});
