/**
 * The partnership directory: the agencies the business unit works with (name, kind), each with its
 * standing representatives and partner lead, the chairs of the review group, and the business-unit
 * officers. It rarely changes, so the open-review form offers it instead of six blank agency blocks.
 * Every change is a pure function returning the new directory and its audit line.
 */
import { isStorableText, unstorableCharacterMessage } from './storableText';
import { agencyKinds, statutoryPartnerKinds, type AgencyKind, type AuditEvent, type Person } from './model';

export interface DirectoryAgency {
  /** Short stable id, from the name: 'Exampleshire Constabulary' → 'exampleshire-constabulary'. */
  id: string;
  name: string;
  kind: AgencyKind;
  representatives: Person[];
  lead?: Person;
}

export interface PartnershipDirectory {
  agencies: DirectoryAgency[];
  chairs: Person[];
  officers: Person[];
  version: number;
}

export const emptyDirectory: PartnershipDirectory = { agencies: [], chairs: [], officers: [], version: 0 };

/** The audit trail's review id for directory changes (the directory belongs to no review). */
export const directoryAuditId = 'partnership-directory';

export type DirectoryChange =
  | { ok: true; directory: PartnershipDirectory; audit: AuditEvent[] }
  | { ok: false; reason: string; audit?: AuditEvent[] };

export const directoryLimits = { agencies: 100, people: 20, text: 200 };

const emailPattern = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/**
 * A short stable id for an agency, from its name: 'Exampleshire Constabulary' → 'exampleshire-constabulary'.
 * The open-review form's one-off agencies and the directory's agencies are named by this one rule.
 */
export function agencyIdFromName(name: string, maxLength = 40): string {
  const id = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, maxLength)
    .replace(/-+$/g, '');
  return id === '' ? 'agency' : id;
}

export function directoryAgencyId(name: string): string {
  return agencyIdFromName(name, 60);
}

/** One problem with the input, naming where it is and the rule. */
export class DirectoryError extends Error {
  constructor(
    readonly field: string,
    readonly rule: string,
  ) {
    super(`${field}: ${rule}`);
    this.name = 'DirectoryError';
  }
}

function textOf(value: unknown, field: string, required: boolean): string | undefined {
  if (value === undefined || value === null || value === '') {
    if (required) throw new DirectoryError(field, 'Required');
    return undefined;
  }
  if (typeof value !== 'string') throw new DirectoryError(field, 'Must be text');
  const text = value.trim();
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f]/.test(text)) throw new DirectoryError(field, 'Must not hold control characters');
  if (!isStorableText(text)) throw new DirectoryError(field, unstorableCharacterMessage);
  if (text.length > directoryLimits.text)
    throw new DirectoryError(field, `At most ${directoryLimits.text} characters`);
  if (text === '' && required) throw new DirectoryError(field, 'Required');
  return text === '' ? undefined : text;
}

/** A person as typed: a name and an e-mail, or "Name <e-mail>". */
export function personOf(value: unknown, field: string): Person {
  if (typeof value === 'string') {
    const match = /^\s*(.*?)\s*<([^>]+)>\s*$/.exec(value);
    return personOf(match ? { name: match[1], email: match[2] } : { email: value }, field);
  }
  if (!value || typeof value !== 'object' || Array.isArray(value))
    throw new DirectoryError(field, 'Must be a person: {"name", "email"} or "Name <email>"');
  const record = value as Record<string, unknown>;
  const email = textOf(record.email, `${field}.email`, true) as string;
  if (!emailPattern.test(email)) throw new DirectoryError(`${field}.email`, 'Must be an e-mail address');
  const name = textOf(record.name, `${field}.name`, false) ?? email;
  const aadObjectId = textOf(record.aadObjectId, `${field}.aadObjectId`, false);
  return { name, email: email.toLowerCase(), ...(aadObjectId ? { aadObjectId } : {}) };
}

function peopleOf(value: unknown, field: string): Person[] {
  if (value === undefined || value === null || value === '') return [];
  const list = typeof value === 'string' ? value.split(/[;,](?![^<]*>)/).filter((s) => s.trim()) : value;
  if (!Array.isArray(list)) throw new DirectoryError(field, 'Must be a list of people');
  if (list.length > directoryLimits.people)
    throw new DirectoryError(field, `At most ${directoryLimits.people} people`);
  return list.map((p, i) => personOf(p, `${field}[${i}]`));
}

/** One agency from the import or the directory card, checked. */
export function agencyOf(value: unknown, field: string): DirectoryAgency {
  if (!value || typeof value !== 'object' || Array.isArray(value))
    throw new DirectoryError(field, 'Must be an agency: {"name", "kind", "representatives", "lead"}');
  const record = value as Record<string, unknown>;
  const name = textOf(record.name, `${field}.name`, true) as string;
  const kindText = textOf(record.kind, `${field}.kind`, true) as string;
  if (!(agencyKinds as readonly string[]).includes(kindText))
    throw new DirectoryError(`${field}.kind`, `Must be one of: ${agencyKinds.join(', ')}`);
  const kind = kindText as AgencyKind;
  const representatives = peopleOf(record.representatives, `${field}.representatives`);
  const leadValue = record.lead;
  const lead =
    leadValue === undefined || leadValue === null || leadValue === ''
      ? undefined
      : personOf(leadValue, `${field}.lead`);
  if (lead && !statutoryPartnerKinds.includes(kind))
    throw new DirectoryError(
      `${field}.lead`,
      'Only a statutory partner (local authority, police, ICB) has a partner lead',
    );
  return { id: directoryAgencyId(name), name, kind, representatives, ...(lead ? { lead } : {}) };
}

/** A whole directory from its JSON shape ({agencies, chairs, officers}), every problem named. */
export function directoryOf(value: unknown): Omit<PartnershipDirectory, 'version'> {
  if (!value || typeof value !== 'object' || Array.isArray(value))
    throw new DirectoryError('directory', 'Must be an object with agencies, chairs and officers');
  const record = value as Record<string, unknown>;
  if (!Array.isArray(record.agencies)) throw new DirectoryError('agencies', 'Must be a list');
  if (record.agencies.length > directoryLimits.agencies)
    throw new DirectoryError('agencies', `At most ${directoryLimits.agencies} agencies`);
  const agencies = record.agencies.map((a, i) => agencyOf(a, `agencies[${i}]`));
  const seen = new Map<string, number>();
  agencies.forEach((agency, i) => {
    const first = seen.get(agency.id);
    if (first !== undefined)
      throw new DirectoryError(`agencies[${i}].name`, `Listed twice (also agencies[${first}])`);
    seen.set(agency.id, i);
  });
  return {
    agencies,
    chairs: peopleOf(record.chairs, 'chairs'),
    officers: peopleOf(record.officers, 'officers'),
  };
}

/**
 * A directory from CSV: one row per person, columns `role,agency,kind,name,email` where role is
 * representative, lead, chair or officer (agency and kind only for the first two).
 */
export function directoryFromCsv(text: string): Omit<PartnershipDirectory, 'version'> {
  const lines = text.split(/\r?\n/).filter((line) => line.trim() !== '');
  const header = (lines.shift() ?? '').split(',').map((h) => h.trim().toLowerCase());
  const wanted = ['role', 'agency', 'kind', 'name', 'email'];
  for (const column of wanted)
    if (!header.includes(column)) throw new DirectoryError('header', `Must have the column '${column}'`);
  const agencies = new Map<
    string,
    { name: string; kind: string; representatives: unknown[]; lead?: unknown }
  >();
  const chairs: unknown[] = [];
  const officers: unknown[] = [];
  lines.forEach((line, i) => {
    const cells = splitCsvLine(line);
    const cell = (column: string) => cells[header.indexOf(column)]?.trim() ?? '';
    const row = `line ${i + 2}`;
    const person = { name: cell('name'), email: cell('email') };
    const role = cell('role').toLowerCase();
    if (role === 'chair') chairs.push(person);
    else if (role === 'officer') officers.push(person);
    else if (role === 'representative' || role === 'lead') {
      const name = cell('agency');
      if (name === '') throw new DirectoryError(`${row} agency`, 'Required for a representative or lead');
      const key = directoryAgencyId(name);
      const agency = agencies.get(key) ?? { name, kind: cell('kind'), representatives: [] };
      if (cell('kind') !== '' && agency.kind !== cell('kind'))
        throw new DirectoryError(
          `${row} kind`,
          `Must match the agency's kind on an earlier line (${agency.kind})`,
        );
      if (role === 'lead') {
        if (agency.lead) throw new DirectoryError(`${row} role`, `${name} already has a partner lead`);
        agency.lead = person;
      } else agency.representatives.push(person);
      agencies.set(key, agency);
    } else throw new DirectoryError(`${row} role`, 'Must be representative, lead, chair or officer');
  });
  return directoryOf({ agencies: [...agencies.values()], chairs, officers });
}

function splitCsvLine(line: string): string[] {
  const cells: string[] = [];
  let current = '';
  let quoted = false;
  for (let i = 0; i < line.length; i += 1) {
    const c = line[i];
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') {
        current += '"';
        i += 1;
      } else if (c === '"') quoted = false;
      else current += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      cells.push(current);
      current = '';
    } else current += c;
  }
  cells.push(current);
  return cells;
}

function audit(
  actor: Person | { system: string },
  at: string,
  action: string,
  detail: Record<string, unknown>,
) {
  return [{ reviewId: directoryAuditId, at, actor, action, detail }];
}

/** Replaces the whole directory (the CLI import). */
export function replaceDirectory(
  current: PartnershipDirectory,
  next: Omit<PartnershipDirectory, 'version'>,
  actor: Person | { system: string },
  at: string,
): DirectoryChange {
  return {
    ok: true,
    directory: { ...next, version: current.version },
    audit: audit(actor, at, 'directory.imported', {
      agencies: next.agencies.map((a) => a.id),
      chairs: next.chairs.length,
      officers: next.officers.length,
    }),
  };
}

/** Adds an agency, or replaces the one with the same id. */
export function saveDirectoryAgency(
  current: PartnershipDirectory,
  agency: DirectoryAgency,
  actor: Person,
  at: string,
): DirectoryChange {
  const exists = current.agencies.some((a) => a.id === agency.id);
  if (!exists && current.agencies.length >= directoryLimits.agencies)
    return { ok: false, reason: `the directory holds at most ${directoryLimits.agencies} agencies` };
  const agencies = exists
    ? current.agencies.map((a) => (a.id === agency.id ? agency : a))
    : [...current.agencies, agency];
  return {
    ok: true,
    directory: { ...current, agencies },
    audit: audit(actor, at, exists ? 'directory.agency.changed' : 'directory.agency.added', {
      agencyId: agency.id,
      kind: agency.kind,
      representatives: agency.representatives.length,
      lead: Boolean(agency.lead),
    }),
  };
}

export function removeDirectoryAgency(
  current: PartnershipDirectory,
  agencyId: string,
  actor: Person,
  at: string,
): DirectoryChange {
  if (!current.agencies.some((a) => a.id === agencyId))
    return { ok: false, reason: `there is no agency '${agencyId}' in the directory` };
  return {
    ok: true,
    directory: { ...current, agencies: current.agencies.filter((a) => a.id !== agencyId) },
    audit: audit(actor, at, 'directory.agency.removed', { agencyId }),
  };
}

export function setDirectoryPeople(
  current: PartnershipDirectory,
  role: 'chairs' | 'officers',
  people: Person[],
  actor: Person,
  at: string,
): DirectoryChange {
  return {
    ok: true,
    directory: { ...current, [role]: people },
    audit: audit(actor, at, `directory.${role}.set`, { count: people.length }),
  };
}

/** The agencies the open-review form ticks by default: the statutory partners. */
export function tickedByDefault(directory: PartnershipDirectory): string[] {
  return directory.agencies.filter((a) => statutoryPartnerKinds.includes(a.kind)).map((a) => a.id);
}

/** An Entra object id, as Teams' people picker answers with. */
const objectIdPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** The open-review form's fields for the directory: the ticked agencies, the chair picked or typed. */
export const directoryFormFields = {
  agencies: 'directoryAgencies',
  chair: 'chair',
  chairEmail: 'chairEmail',
} as const;

/**
 * The open-review form's submitted values with the directory's ticked agencies written out as agency
 * rows (after the one-off rows typed on the form, so those keep their field ids for errors), and the
 * chair: a directory chair picked (by e-mail, or by object id from Teams' people picker) or an e-mail
 * typed where the client has no picker. Unknown ticks are field errors, never guessed; a picked object
 * id the directory does not hold is handed back to be looked up in the tenant's directory.
 */
export function withDirectoryChoices(
  values: Readonly<Record<string, unknown>>,
  directory: PartnershipDirectory,
): {
  values: Record<string, unknown>;
  chair?: Person;
  /** An object id picked with Teams' people picker that the directory does not hold: look it up. */
  chairToLookUp?: string;
  errors: Record<string, string>;
} {
  const out: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
  const errors: Record<string, string> = {};
  let lastRow = 0;
  for (const [key, value] of Object.entries(values)) {
    if (
      key === directoryFormFields.agencies ||
      key === directoryFormFields.chair ||
      key === directoryFormFields.chairEmail
    )
      continue;
    out[key] = value;
    const row = /^agency(\d{1,3})(?:Name|Kind|LeadName|LeadEmail|Rep\d+(?:Name|Email))$/.exec(key);
    if (row && value !== '' && value !== undefined) lastRow = Math.max(lastRow, Number(row[1]));
  }
  const ticked = values[directoryFormFields.agencies];
  if (ticked !== undefined && ticked !== '' && typeof ticked !== 'string')
    errors[directoryFormFields.agencies] = 'Must be the agencies ticked';
  const ids =
    typeof ticked === 'string'
      ? ticked
          .split(',')
          .map((id) => id.trim())
          .filter(Boolean)
      : [];
  let row = lastRow;
  for (const id of new Set(ids)) {
    const agency = directory.agencies.find((a) => a.id === id);
    if (!agency) {
      errors[directoryFormFields.agencies] = `'${id.slice(0, 60)}' is not in the partnership directory`;
      continue;
    }
    row += 1;
    out[`agency${row}Name`] = agency.name;
    out[`agency${row}Kind`] = agency.kind;
    agency.representatives.forEach((person, i) => {
      out[`agency${row}Rep${i + 1}Name`] = person.name;
      out[`agency${row}Rep${i + 1}Email`] = person.email ?? '';
    });
    if (agency.lead) {
      out[`agency${row}LeadName`] = agency.lead.name;
      out[`agency${row}LeadEmail`] = agency.lead.email ?? '';
    }
  }
  let chair: Person | undefined;
  let chairToLookUp: string | undefined;
  const picked = values[directoryFormFields.chair];
  const typed = values[directoryFormFields.chairEmail];
  if (typeof typed === 'string' && typed.trim() !== '') {
    try {
      chair = personOf(typed, directoryFormFields.chairEmail);
    } catch (error) {
      errors[directoryFormFields.chairEmail] = (error as DirectoryError).rule ?? 'Must be an e-mail address';
    }
  } else if (typeof picked === 'string' && picked.trim() !== '') {
    const key = picked.trim().toLowerCase();
    const everyone = [
      ...directory.chairs,
      ...directory.agencies.flatMap((a) => [...a.representatives, ...(a.lead ? [a.lead] : [])]),
    ];
    chair = everyone.find((p) => p.email?.toLowerCase() === key || p.aadObjectId?.toLowerCase() === key);
    if (!chair && objectIdPattern.test(key)) chairToLookUp = key;
    else if (!chair)
      errors[directoryFormFields.chair] =
        'Not in the partnership directory: add them to the directory, or type their e-mail below';
  } else if (picked !== undefined && picked !== '' && typeof picked !== 'string') {
    errors[directoryFormFields.chair] = 'Must be a person';
  }
  return { values: out, ...(chair ? { chair } : {}), ...(chairToLookUp ? { chairToLookUp } : {}), errors };
}
