/**
 * The partnership directory from Teams: the `directory` command and its card's verbs, for the
 * business unit in its 1:1 chat or channel. Each change is one transaction with its audit line.
 */
import { directoryCard } from '../../cards/directoryCards';
import {
  DirectoryError,
  agencyOf,
  personOf,
  removeDirectoryAgency,
  saveDirectoryAgency,
  setDirectoryPeople,
} from '../../review/directory';
import type { Person } from '../../review/model';
import type { CardReply } from './replies';
import type { Turn } from './turn';

type Card = Record<string, unknown>;

export async function directoryReply(turn: Turn): Promise<CardReply> {
  return { card: directoryCard(await turn.deps.store.getDirectory()) as Card };
}

const textValue = (data: Record<string, unknown>, key: string): unknown => data[key] ?? '';

/** The typed values to show again after a refusal, as text only. */
function shownAgain(data: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const key of ['name', 'kind', 'representatives', 'lead', 'chairs']) {
    const value = data[key];
    if (typeof value === 'string') out[key] = value.slice(0, 2000);
  }
  return out;
}

/** "Name <e-mail>; …" as people, or the field's problem. */
function peopleTyped(value: unknown, field: string): Person[] {
  if (value === undefined || value === '') return [];
  if (typeof value !== 'string') throw new DirectoryError(field, 'Must be text');
  const parts = value
    .split(';')
    .map((s) => s.trim())
    .filter(Boolean);
  if (parts.length > 20) throw new DirectoryError(field, 'At most 20 people');
  return parts.map((part, i) => {
    try {
      return personOf(part, field);
    } catch (error) {
      throw new DirectoryError(field, `Person ${i + 1}: ${(error as DirectoryError).rule}`);
    }
  });
}

export async function saveAgencyFlow(turn: Turn, data: Record<string, unknown>): Promise<CardReply> {
  let agency;
  try {
    agency = agencyOf(
      {
        name: textValue(data, 'name'),
        kind: textValue(data, 'kind'),
        representatives: peopleTyped(data.representatives, 'representatives'),
        lead: peopleTyped(data.lead, 'lead')[0],
      },
      'agency',
    );
  } catch (error) {
    if (!(error instanceof DirectoryError)) throw error;
    const field = error.field
      .replace(/^agency\./, '')
      .replace(/\[\d+\].*$/, '')
      .replace(/\..*$/, '');
    const directory = await turn.deps.store.getDirectory();
    return {
      card: directoryCard(directory, { errors: { [field]: error.rule }, values: shownAgain(data) }) as Card,
    };
  }
  const at = turn.deps.clock.now().toISOString();
  const result = await turn.deps.store.updateDirectory((current) =>
    saveDirectoryAgency(current, agency, turn.actor.person, at),
  );
  const directory = result.ok ? result.directory : await turn.deps.store.getDirectory();
  return {
    card: directoryCard(
      directory,
      result.ok
        ? { notice: `${agency.name} is saved.` }
        : { errors: { name: result.reason }, values: shownAgain(data) },
    ) as Card,
  };
}

export async function removeAgencyFlow(turn: Turn, data: Record<string, unknown>): Promise<CardReply> {
  const agencyId = typeof data.agencyId === 'string' ? data.agencyId : '';
  const at = turn.deps.clock.now().toISOString();
  const result = await turn.deps.store.updateDirectory((current) =>
    removeDirectoryAgency(current, agencyId, turn.actor.person, at),
  );
  const directory = result.ok ? result.directory : await turn.deps.store.getDirectory();
  return {
    card: directoryCard(directory, {
      notice: result.ok ? 'The agency is removed.' : `Not removed: ${result.reason}.`,
    }) as Card,
  };
}

export async function saveChairsFlow(turn: Turn, data: Record<string, unknown>): Promise<CardReply> {
  let chairs: Person[];
  try {
    chairs = peopleTyped(data.chairs, 'chairs');
  } catch (error) {
    if (!(error instanceof DirectoryError)) throw error;
    const directory = await turn.deps.store.getDirectory();
    return {
      card: directoryCard(directory, { errors: { chairs: error.rule }, values: shownAgain(data) }) as Card,
    };
  }
  const at = turn.deps.clock.now().toISOString();
  const result = await turn.deps.store.updateDirectory((current) =>
    setDirectoryPeople(current, 'chairs', chairs, turn.actor.person, at),
  );
  const directory = result.ok ? result.directory : await turn.deps.store.getDirectory();
  return { card: directoryCard(directory, { notice: 'The chairs are saved.' }) as Card };
}
