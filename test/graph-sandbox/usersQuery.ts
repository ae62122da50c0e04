// GET /users with the $filter forms the bot uses to find people: eq and in on id, mail and
// userPrincipalName, otherMails/any(...), joined with or. Graph refuses more than 15 values.
import { GraphError, SandboxTenant, SandboxUserSeed } from './sandboxTenant';

type Json = Record<string, unknown>;

/** https://learn.microsoft.com/graph/filter-query-parameter: the in operator is limited to 15 expressions. */
export const MAX_FILTER_EXPRESSIONS = 15;

const DEFAULT_PROPERTIES = [
  'businessPhones',
  'displayName',
  'givenName',
  'jobTitle',
  'mail',
  'mobilePhone',
  'officeLocation',
  'preferredLanguage',
  'surname',
  'userPrincipalName',
  'id',
];

function render(user: SandboxUserSeed): Json {
  return {
    businessPhones: [],
    displayName: user.displayName,
    givenName: null,
    jobTitle: null,
    mail: user.mail,
    mobilePhone: null,
    officeLocation: null,
    preferredLanguage: null,
    surname: null,
    userPrincipalName: user.userPrincipalName,
    id: user.id,
    userType: user.userType,
    otherMails: [],
  };
}

export function selectUser(user: SandboxUserSeed, select: string | null): Json {
  const full = render(user);
  const wanted = select ? select.split(',').map((name) => name.trim()) : DEFAULT_PROPERTIES;
  const out: Json = {};
  for (const name of wanted) {
    const found = Object.keys(full).find((candidate) => candidate.toLowerCase() === name.toLowerCase());
    if (!found) {
      throw new GraphError(
        400,
        'Request_BadRequest',
        `Could not find a property named '${name}' on type 'Microsoft.DirectoryServices.User'.`,
      );
    }
    out[found] = full[found];
  }
  return out;
}

type Test = (user: SandboxUserSeed) => boolean;

const PROPERTY: Record<string, (user: SandboxUserSeed) => string> = {
  id: (user) => user.id,
  mail: (user) => user.mail,
  userprincipalname: (user) => user.userPrincipalName,
};

function unquote(literal: string): string {
  return literal.slice(1, -1).replace(/''/g, "'").toLowerCase();
}

function unsupported(filter: string): GraphError {
  return new GraphError(
    501,
    'NotImplemented',
    `The Graph sandbox understands only eq/in on id, mail, userPrincipalName, otherMails/any(x:x eq '...'), joined with or; got '${filter}'`,
  );
}

/** Parses the filter into one test per or-clause, counting the values compared. */
function parseFilter(filter: string): { tests: Test[]; expressions: number } {
  const literal = "'(?:[^']|'')*'";
  const clauses = filter.split(/\s+or\s+(?=(?:[^']*'[^']*')*[^']*$)/i).map((part) =>
    part
      .trim()
      .replace(/^\((.*)\)$/s, '$1')
      .trim(),
  );
  const tests: Test[] = [];
  let expressions = 0;
  for (const clause of clauses) {
    const eq = new RegExp(`^(\\w+)\\s+eq\\s+(${literal})$`, 'i').exec(clause);
    const inList = new RegExp(
      `^(\\w+)\\s+in\\s+\\(\\s*(${literal}(?:\\s*,\\s*${literal})*)\\s*\\)$`,
      'i',
    ).exec(clause);
    const any = new RegExp(`^otherMails/any\\((\\w+):\\1\\s+eq\\s+(${literal})\\)$`, 'i').exec(clause);
    if (eq && PROPERTY[eq[1].toLowerCase()]) {
      const read = PROPERTY[eq[1].toLowerCase()];
      const wanted = unquote(eq[2]);
      tests.push((user) => read(user).toLowerCase() === wanted);
      expressions += 1;
    } else if (inList && PROPERTY[inList[1].toLowerCase()]) {
      const read = PROPERTY[inList[1].toLowerCase()];
      const values = inList[2].match(new RegExp(literal, 'g'))?.map(unquote) ?? [];
      tests.push((user) => values.includes(read(user).toLowerCase()));
      expressions += values.length;
    } else if (any) {
      expressions += 1;
      tests.push(() => false); // the sandbox's users have no other mails
    } else {
      throw unsupported(filter);
    }
  }
  return { tests, expressions };
}

export function listUsers(tenant: SandboxTenant, query: URLSearchParams): Json[] {
  let users = tenant.directoryUsers();
  const filter = query.get('$filter');
  if (filter !== null) {
    const { tests, expressions } = parseFilter(filter);
    if (expressions > MAX_FILTER_EXPRESSIONS) {
      // The directory's own wording for this limit (Request_UnsupportedQuery).
      throw new GraphError(
        400,
        'Request_UnsupportedQuery',
        `Too many child clauses specified in search filter expression containing 'OR' operators: ${expressions}. Max allowed: ${MAX_FILTER_EXPRESSIONS}.`,
      );
    }
    users = users.filter((user) => tests.some((test) => test(user)));
  }
  const top = query.get('$top');
  if (top !== null) {
    const count = Number(top);
    if (!Number.isInteger(count) || count < 1 || count > 999) {
      throw new GraphError(
        400,
        'Request_UnsupportedQuery',
        `Invalid page size specified: '${top}'. Must be between 1 and 999 inclusive.`,
      );
    }
    users = users.slice(0, count);
  }
  return users.map((user) => selectUser(user, query.get('$select')));
}
