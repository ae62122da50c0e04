/**
 * The partnership directory's card, for the business unit only (its 1:1 chat or channel): the
 * agencies with their standing representatives and partner leads, the chairs and officers, and forms
 * to add or change an agency, remove one, and set the chairs.
 */
import type { PartnershipDirectory } from '../review/directory';
import { agencyKindLabels, agencyKinds } from '../review/model';
import type { AdaptiveCard } from './cardTemplate';
import { cardVerbs } from './verbs';

const names = (people: { name: string; email?: string }[]) =>
  people.length === 0
    ? 'none yet'
    : people.map((p) => (p.email ? `${p.name} (${p.email})` : p.name)).join(', ');

function execute(title: string, verb: string, data: Record<string, unknown> = {}) {
  return {
    type: 'Action.Execute',
    title,
    verb,
    data,
    fallback: { type: 'Action.Submit', title, data: { ...data, verb } },
  };
}

export function directoryCard(
  directory: PartnershipDirectory,
  shown: { notice?: string; errors?: Record<string, string>; values?: Record<string, string> } = {},
): AdaptiveCard {
  const errors = shown.errors ?? {};
  const values = shown.values ?? {};
  const errorBlock = (id: string) =>
    errors[id]
      ? [{ type: 'TextBlock', text: errors[id], color: 'Attention', wrap: true, spacing: 'None' }]
      : [];
  const agencies = directory.agencies.map((agency) => ({
    type: 'Container',
    separator: true,
    items: [
      { type: 'TextBlock', text: `**${agency.name}** · ${agencyKindLabels[agency.kind]}`, wrap: true },
      {
        type: 'TextBlock',
        text: `Representatives: ${names(agency.representatives)}`,
        wrap: true,
        spacing: 'None',
        isSubtle: true,
      },
      ...(agency.lead
        ? [
            {
              type: 'TextBlock',
              text: `Partner lead: ${names([agency.lead])}`,
              wrap: true,
              spacing: 'None',
              isSubtle: true,
            },
          ]
        : []),
      {
        type: 'ActionSet',
        actions: [execute('Remove', cardVerbs.directoryRemoveAgency, { agencyId: agency.id })],
      },
    ],
  }));
  return {
    type: 'AdaptiveCard',
    version: '1.5',
    fallbackText: 'The partnership directory',
    body: [
      {
        type: 'TextBlock',
        text: 'Partnership directory',
        style: 'heading',
        size: 'Medium',
        weight: 'Bolder',
        wrap: true,
      },
      {
        type: 'TextBlock',
        text: 'The open-review form offers these agencies (statutory partners ticked) and fills in their representatives.',
        isSubtle: true,
        wrap: true,
        spacing: 'None',
      },
      ...(shown.notice ? [{ type: 'TextBlock', text: shown.notice, color: 'Good', wrap: true }] : []),
      ...(directory.agencies.length === 0
        ? [
            {
              type: 'TextBlock',
              text: 'No agencies yet: add one below, or import a file with `rapid-review directory import FILE`.',
              wrap: true,
            },
          ]
        : agencies),
      { type: 'TextBlock', text: `Chairs: ${names(directory.chairs)}`, wrap: true, separator: true },
      {
        type: 'TextBlock',
        text: `Business-unit officers: ${names(directory.officers)}`,
        wrap: true,
        spacing: 'None',
      },
      { type: 'TextBlock', text: 'Add or change an agency', weight: 'Bolder', wrap: true, separator: true },
      {
        type: 'Input.Text',
        id: 'name',
        label: 'Agency name (the same name changes that agency)',
        value: values.name ?? '',
        maxLength: 200,
      },
      ...errorBlock('name'),
      {
        type: 'Input.ChoiceSet',
        id: 'kind',
        label: 'Kind',
        style: 'compact',
        choices: agencyKinds.map((kind) => ({ title: agencyKindLabels[kind], value: kind })),
        value: values.kind ?? '',
      },
      ...errorBlock('kind'),
      {
        type: 'Input.Text',
        id: 'representatives',
        label: 'Standing representatives (Name <e-mail>; separated by ;)',
        value: values.representatives ?? '',
        isMultiline: true,
      },
      ...errorBlock('representatives'),
      {
        type: 'Input.Text',
        id: 'lead',
        label: 'Partner lead, statutory partners only (Name <e-mail>)',
        value: values.lead ?? '',
      },
      ...errorBlock('lead'),
      { type: 'ActionSet', actions: [execute('Save agency', cardVerbs.directorySaveAgency)] },
      { type: 'TextBlock', text: 'Chairs', weight: 'Bolder', wrap: true, separator: true },
      {
        type: 'Input.Text',
        id: 'chairs',
        label: 'Chairs of the review group (Name <e-mail>; separated by ;)',
        value: values.chairs ?? directory.chairs.map((c) => `${c.name} <${c.email ?? ''}>`).join('; '),
      },
      ...errorBlock('chairs'),
      { type: 'ActionSet', actions: [execute('Save chairs', cardVerbs.directorySaveChairs)] },
    ],
  } as AdaptiveCard;
}
