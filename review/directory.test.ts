import {
  DirectoryError,
  directoryFromCsv,
  directoryOf,
  emptyDirectory,
  removeDirectoryAgency,
  replaceDirectory,
  saveDirectoryAgency,
  tickedByDefault,
  agencyOf,
} from './directory';

const officer = { name: 'Olu Officer', email: 'olu@example.org' };
const at = '2026-12-01T10:00:00.000Z';

const sample = {
  agencies: [
    {
      name: 'Exampleshire Constabulary',
      kind: 'police',
      representatives: ['Sam Specimen <sam@police.example.org>'],
      lead: { name: 'Jordan Mocklead', email: 'jordan@police.example.org' },
    },
    {
      name: 'Oakfield Primary School',
      kind: 'education',
      representatives: [{ name: 'Quinn', email: 'q@school.example.org' }],
    },
    { name: 'Exampleshire County Council', kind: 'local-authority', representatives: [] },
  ],
  chairs: ['Chris Chair <chris@example.org>'],
  officers: [officer],
};

describe('the partnership directory', () => {
  it('reads agencies, representatives, leads, chairs and officers from JSON, e-mails in lower case', () => {
    const directory = directoryOf(sample);
    expect(directory.agencies.map((a) => [a.id, a.kind])).toEqual([
      ['exampleshire-constabulary', 'police'],
      ['oakfield-primary-school', 'education'],
      ['exampleshire-county-council', 'local-authority'],
    ]);
    expect(directory.agencies[0].representatives).toEqual([
      { name: 'Sam Specimen', email: 'sam@police.example.org' },
    ]);
    expect(directory.chairs).toEqual([{ name: 'Chris Chair', email: 'chris@example.org' }]);
  });

  it('reads the same from CSV, one row per person', () => {
    const csv = [
      'role,agency,kind,name,email',
      'representative,Exampleshire Constabulary,police,Sam Specimen,sam@police.example.org',
      'lead,Exampleshire Constabulary,police,Jordan Mocklead,jordan@police.example.org',
      'representative,"Oakfield Primary School, Exampleton",education,Quinn,q@school.example.org',
      'chair,,,Chris Chair,chris@example.org',
      'officer,,,Olu Officer,olu@example.org',
    ].join('\n');
    const directory = directoryFromCsv(csv);
    expect(directory.agencies.map((a) => a.name)).toEqual([
      'Exampleshire Constabulary',
      'Oakfield Primary School, Exampleton',
    ]);
    expect(directory.agencies[0].lead?.email).toBe('jordan@police.example.org');
    expect(directory.officers).toHaveLength(1);
  });

  it.each([
    [{ ...sample, agencies: [{ name: 'X', kind: 'bakery' }] }, 'agencies[0].kind: Must be one of'],
    [{ ...sample, agencies: [{ name: '', kind: 'police' }] }, 'agencies[0].name: Required'],
    [
      { ...sample, agencies: [{ name: 'X', kind: 'police', representatives: ['not an email'] }] },
      'agencies[0].representatives[0].email: Must be an e-mail address',
    ],
    [
      { ...sample, agencies: [{ name: 'School', kind: 'education', lead: 'a@b.org' }] },
      'agencies[0].lead: Only a statutory partner',
    ],
    [{ ...sample, agencies: [sample.agencies[0], sample.agencies[0]] }, 'agencies[1].name: Listed twice'],
    [{ ...sample, agencies: [{ name: { toString: 1 }, kind: 'police' }] }, 'agencies[0].name: Must be text'],
    [{ ...sample, chairs: 'Chris <chris>' }, 'chairs[0].email: Must be an e-mail address'],
    // PostgreSQL cannot store a lone surrogate: refused here, on both stores, not failing the save.
    [
      { ...sample, agencies: [{ name: 'Police \uD800', kind: 'police' }] },
      'agencies[0].name: Must not contain a NUL character or an unpaired surrogate',
    ],
  ])('refuses bad input naming the field and the rule', (input, message) => {
    expect(() => directoryOf(input)).toThrow(DirectoryError);
    expect(() => directoryOf(input)).toThrow(message);
  });

  it('refuses a CSV without the columns or with an unknown role, naming the line', () => {
    expect(() => directoryFromCsv('role,name,email\n')).toThrow("header: Must have the column 'agency'");
    expect(() => directoryFromCsv('role,agency,kind,name,email\nboss,,,A,a@b.org')).toThrow('line 2 role');
  });

  it('audits every change without the people’s details, and refuses removing what is not there', () => {
    const imported = replaceDirectory(emptyDirectory, directoryOf(sample), { system: 'cli' }, at);
    expect(imported.ok && imported.audit[0]).toMatchObject({
      reviewId: 'partnership-directory',
      action: 'directory.imported',
    });
    expect(JSON.stringify(imported.ok && imported.audit)).not.toContain('sam@police');
    if (!imported.ok) throw new Error('import refused');
    const school = agencyOf(
      { name: 'Oakfield Primary School', kind: 'education', representatives: ['b@school.example.org'] },
      'agency',
    );
    const changed = saveDirectoryAgency(imported.directory, school, officer, at);
    expect(changed.ok && changed.audit[0].action).toBe('directory.agency.changed');
    expect(changed.ok && changed.directory.agencies).toHaveLength(3);
    expect(removeDirectoryAgency(imported.directory, 'nope', officer, at)).toMatchObject({ ok: false });
  });

  it('ticks the statutory partners by default', () => {
    const directory = { ...directoryOf(sample), version: 1 };
    expect(tickedByDefault(directory)).toEqual(['exampleshire-constabulary', 'exampleshire-county-council']);
  });
});
