// Checks JSON request bodies against Microsoft's Graph v1.0 metadata (CSDL), the way Graph's OData
// layer would reject them: unknown properties, values outside an enum, wrong primitive kinds, and
// '@odata.type' that names a type outside the expected hierarchy. The sandbox runs every body the
// bot sends through here, so a misspelt property fails in a test instead of in a live tenant.
import fs from 'node:fs';
import path from 'node:path';
import { XMLParser } from 'fast-xml-parser';

export interface CsdlProperty {
  name: string;
  /** Qualified type, aliases resolved, e.g. 'Collection(microsoft.graph.attendee)' or 'Edm.String'. */
  type: string;
  nullable: boolean;
  navigation: boolean;
}

export interface CsdlStructuredType {
  kind: 'entity' | 'complex';
  name: string;
  baseType?: string;
  abstract: boolean;
  openType: boolean;
  properties: ReadonlyMap<string, CsdlProperty>;
}

export interface CsdlEnumType {
  kind: 'enum';
  name: string;
  isFlags: boolean;
  members: ReadonlySet<string>;
}

export interface CsdlAction {
  name: string;
  bindingType?: string;
  parameters: readonly CsdlProperty[];
}

/** The first thing Graph would object to; `target` is a JSON path such as 'attendees[0].emailAddress'. */
export interface CsdlProblem {
  message: string;
  target: string;
}

export interface CsdlCheckOptions {
  /**
   * Types marked OpenType="true" in the metadata whose service nevertheless rejects unknown
   * properties. Outlook answers an unknown event property with 400 RequestBodyRead ("does not exist
   * on type 'Microsoft.OutlookServices.Event'"), so event is closed by default.
   */
  closedTypes?: ReadonlySet<string>;
}

export const DEFAULT_CLOSED_TYPES: ReadonlySet<string> = new Set(['microsoft.graph.event']);

type XmlNode = Record<string, unknown>;

function nodes(parent: XmlNode, key: string): XmlNode[] {
  const value = parent[key];
  if (value === undefined) return [];
  return (Array.isArray(value) ? value : [value]) as XmlNode[];
}

function attr(node: XmlNode, key: string): string | undefined {
  const value = node[key];
  return typeof value === 'string' ? value : undefined;
}

const COLLECTION = /^Collection\((.+)\)$/;

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describeLiteral(value: unknown): string {
  if (typeof value === 'string') return value;
  const json = JSON.stringify(value);
  return json === undefined ? String(value) : json;
}

function joinTarget(base: string, key: string): string {
  return base === '' ? key : `${base}.${key}`;
}

const INTEGER_RANGES: Record<string, [number, number]> = {
  'Edm.Byte': [0, 255],
  'Edm.SByte': [-128, 127],
  'Edm.Int16': [-32768, 32767],
  'Edm.Int32': [-2147483648, 2147483647],
};

const DATE_TIME_OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})?$/i;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const TIME_OF_DAY = /^\d{2}:\d{2}(:\d{2}(\.\d{1,12})?)?$/;
const DURATION = /^-?P(?=\d|T\d)(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+(\.\d+)?S)?)?$/;
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** True when `value` is an acceptable JSON form of the Edm primitive `type`. */
function primitiveAccepts(type: string, value: unknown): boolean {
  const range = INTEGER_RANGES[type];
  if (range)
    return typeof value === 'number' && Number.isInteger(value) && value >= range[0] && value <= range[1];
  switch (type) {
    case 'Edm.String':
    case 'Edm.Binary':
      return typeof value === 'string';
    case 'Edm.Boolean':
      return typeof value === 'boolean';
    case 'Edm.Int64':
      // OData lets 64-bit integers travel as strings so JavaScript clients keep their precision.
      return (
        (typeof value === 'number' && Number.isInteger(value)) ||
        (typeof value === 'string' && /^-?\d+$/.test(value))
      );
    case 'Edm.Double':
    case 'Edm.Single':
      return typeof value === 'number' || value === 'NaN' || value === 'INF' || value === '-INF';
    case 'Edm.Decimal':
      return typeof value === 'number' || (typeof value === 'string' && /^-?\d+(\.\d+)?$/.test(value));
    case 'Edm.DateTimeOffset':
      return typeof value === 'string' && DATE_TIME_OFFSET.test(value) && !Number.isNaN(Date.parse(value));
    case 'Edm.Date':
      return typeof value === 'string' && DATE.test(value);
    case 'Edm.TimeOfDay':
      return typeof value === 'string' && TIME_OF_DAY.test(value);
    case 'Edm.Duration':
      return typeof value === 'string' && DURATION.test(value);
    case 'Edm.Guid':
      return typeof value === 'string' && GUID.test(value);
    default:
      // Edm.Stream, Edm.Untyped, geography types: nothing a request body of ours should carry, so
      // they are not second-guessed here.
      return true;
  }
}

export class CsdlModel {
  private readonly structured = new Map<string, CsdlStructuredType>();
  private readonly enums = new Map<string, CsdlEnumType>();
  private readonly actions = new Map<string, CsdlAction[]>();

  private constructor() {}

  /** Parses CSDL XML (Graph's $metadata). Takes a few hundred milliseconds for the 3 MB v1.0 file. */
  static fromXml(xml: string): CsdlModel {
    const parser = new XMLParser({
      ignoreAttributes: false,
      attributeNamePrefix: '',
      parseAttributeValue: false,
    });
    const document = parser.parse(xml) as XmlNode;
    const edmx = document['edmx:Edmx'] as XmlNode | undefined;
    const services = edmx?.['edmx:DataServices'] as XmlNode | undefined;
    if (!services) throw new Error('Not a CSDL document: edmx:Edmx/edmx:DataServices is missing');
    const schemas = nodes(services, 'Schema');

    const aliases = new Map<string, string>();
    for (const schema of schemas) {
      const namespace = attr(schema, 'Namespace');
      const alias = attr(schema, 'Alias');
      if (namespace) aliases.set(namespace, namespace);
      if (namespace && alias) aliases.set(alias, namespace);
    }
    const model = new CsdlModel();
    const qualify = (typeRef: string): string => {
      const collection = COLLECTION.exec(typeRef);
      if (collection) return `Collection(${qualify(collection[1])})`;
      if (typeRef.startsWith('Edm.')) return typeRef;
      const dot = typeRef.lastIndexOf('.');
      if (dot < 0) return typeRef;
      const prefix = typeRef.slice(0, dot);
      return `${aliases.get(prefix) ?? prefix}.${typeRef.slice(dot + 1)}`;
    };
    const readProperties = (type: XmlNode): Map<string, CsdlProperty> => {
      const properties = new Map<string, CsdlProperty>();
      for (const [key, navigation] of [
        ['Property', false],
        ['NavigationProperty', true],
      ] as const) {
        for (const property of nodes(type, key)) {
          const name = attr(property, 'Name');
          const typeRef = attr(property, 'Type');
          if (!name || !typeRef) continue;
          properties.set(name, {
            name,
            type: qualify(typeRef),
            nullable: attr(property, 'Nullable') !== 'false',
            navigation,
          });
        }
      }
      return properties;
    };

    for (const schema of schemas) {
      const namespace = attr(schema, 'Namespace') ?? '';
      for (const [key, kind] of [
        ['EntityType', 'entity'],
        ['ComplexType', 'complex'],
      ] as const) {
        for (const type of nodes(schema, key)) {
          const name = `${namespace}.${attr(type, 'Name') ?? ''}`;
          const baseType = attr(type, 'BaseType');
          model.structured.set(name, {
            kind,
            name,
            baseType: baseType ? qualify(baseType) : undefined,
            abstract: attr(type, 'Abstract') === 'true',
            openType: attr(type, 'OpenType') === 'true',
            properties: readProperties(type),
          });
        }
      }
      for (const type of nodes(schema, 'EnumType')) {
        const name = `${namespace}.${attr(type, 'Name') ?? ''}`;
        const members = new Set(nodes(type, 'Member').map((member) => attr(member, 'Name') ?? ''));
        model.enums.set(name, { kind: 'enum', name, isFlags: attr(type, 'IsFlags') === 'true', members });
      }
      for (const action of nodes(schema, 'Action')) {
        const name = `${namespace}.${attr(action, 'Name') ?? ''}`;
        const parameters = nodes(action, 'Parameter').map((parameter): CsdlProperty => ({
          name: attr(parameter, 'Name') ?? '',
          type: qualify(attr(parameter, 'Type') ?? 'Edm.Untyped'),
          nullable: attr(parameter, 'Nullable') !== 'false',
          navigation: false,
        }));
        const bound = attr(action, 'IsBound') === 'true';
        const overload: CsdlAction = {
          name,
          bindingType: bound ? parameters[0]?.type : undefined,
          parameters: bound ? parameters.slice(1) : parameters,
        };
        model.actions.set(name, [...(model.actions.get(name) ?? []), overload]);
      }
    }
    return model;
  }

  structuredType(name: string): CsdlStructuredType | undefined {
    return this.structured.get(name);
  }

  enumType(name: string): CsdlEnumType | undefined {
    return this.enums.get(name);
  }

  /** The overload of a (namespace-qualified) action bound to `bindingType`, e.g. getSchedule on calendar. */
  action(name: string, bindingType: string): CsdlAction | undefined {
    return this.actions.get(name)?.find((overload) => overload.bindingType === bindingType);
  }

  /** Own and inherited properties, nearest type first. */
  findProperty(typeName: string, propertyName: string): CsdlProperty | undefined {
    for (let type = this.structured.get(typeName); type; type = this.base(type)) {
      const property = type.properties.get(propertyName);
      if (property) return property;
    }
    return undefined;
  }

  isSameOrDerived(typeName: string, ancestorName: string): boolean {
    for (let type = this.structured.get(typeName); type; type = this.base(type)) {
      if (type.name === ancestorName) return true;
    }
    return false;
  }

  /** Checks `value` as an instance of the entity or complex type `typeName` (a request body). */
  checkInstance(typeName: string, value: unknown, options: CsdlCheckOptions = {}): CsdlProblem | undefined {
    if (!this.structured.has(typeName)) throw new Error(`Type '${typeName}' is not in the Graph metadata`);
    if (!isPlainObject(value)) {
      return { target: '', message: `The request body must be a JSON object of type '${typeName}'` };
    }
    return this.checkValue(typeName, value, '', options.closedTypes ?? DEFAULT_CLOSED_TYPES);
  }

  /**
   * Checks the JSON body of a bound action call. The metadata spells some parameters in PascalCase
   * ('Schedules', 'StartTime') while Graph's documentation and the service use camelCase; Graph
   * matches action parameter names without regard to case, so this does too.
   */
  checkActionBody(
    actionName: string,
    bindingType: string,
    body: unknown,
    options: CsdlCheckOptions = {},
  ): CsdlProblem | undefined {
    const action = this.action(actionName, bindingType);
    if (!action)
      throw new Error(`Action '${actionName}' bound to '${bindingType}' is not in the Graph metadata`);
    const shortName = actionName.slice(actionName.lastIndexOf('.') + 1);
    if (!isPlainObject(body)) {
      return { target: '', message: `The request body of operation '${shortName}' must be a JSON object` };
    }
    const closedTypes = options.closedTypes ?? DEFAULT_CLOSED_TYPES;
    for (const [key, value] of Object.entries(body)) {
      if (key.startsWith('@')) continue;
      const parameter = action.parameters.find(
        (candidate) => candidate.name.toLowerCase() === key.toLowerCase(),
      );
      if (!parameter) {
        return {
          target: key,
          message: `The parameter '${key}' in the request payload is not a valid parameter for the operation '${shortName}'`,
        };
      }
      const problem = this.checkTyped(parameter, value, key, closedTypes, `operation '${shortName}'`);
      if (problem) return problem;
    }
    return undefined;
  }

  private base(type: CsdlStructuredType): CsdlStructuredType | undefined {
    return type.baseType ? this.structured.get(type.baseType) : undefined;
  }

  private isOpen(type: CsdlStructuredType, closedTypes: ReadonlySet<string>): boolean {
    if (closedTypes.has(type.name)) return false;
    for (let current: CsdlStructuredType | undefined = type; current; current = this.base(current)) {
      if (current.openType) return true;
    }
    return false;
  }

  /** Checks a value against a declared property or parameter, handling null and collections. */
  private checkTyped(
    property: CsdlProperty,
    value: unknown,
    target: string,
    closedTypes: ReadonlySet<string>,
    owner: string,
  ): CsdlProblem | undefined {
    if (value === null) {
      if (property.nullable) return undefined;
      return {
        target,
        message:
          `A null value was found for the property named '${property.name}' of ${owner}, which has the expected ` +
          `type '${property.type}[Nullable=False]'. The expected type does not allow null values.`,
      };
    }
    const collection = COLLECTION.exec(property.type);
    if (!collection) return this.checkValue(property.type, value, target, closedTypes);
    if (!Array.isArray(value)) {
      return {
        target,
        message: `A collection was expected for the property named '${property.name}' of type '${property.type}'`,
      };
    }
    for (const [index, item] of value.entries()) {
      const problem = this.checkValue(collection[1], item, `${target}[${index}]`, closedTypes);
      if (problem) return problem;
    }
    return undefined;
  }

  private checkValue(
    typeName: string,
    value: unknown,
    target: string,
    closedTypes: ReadonlySet<string>,
  ): CsdlProblem | undefined {
    if (value === null) return undefined;
    if (typeName.startsWith('Edm.')) {
      if (primitiveAccepts(typeName, value)) return undefined;
      return {
        target,
        message: `Cannot convert the literal '${describeLiteral(value)}' to the expected type '${typeName}'`,
      };
    }
    const enumType = this.enums.get(typeName);
    if (enumType) return this.checkEnum(enumType, value, target);
    const declared = this.structured.get(typeName);
    // A type the metadata does not define cannot be checked; Graph's own metadata always resolves.
    if (!declared) return undefined;
    if (!isPlainObject(value)) {
      return {
        target,
        message: `A value '${describeLiteral(value)}' was found where an object of type '${typeName}' was expected`,
      };
    }
    const actual = this.resolveOdataType(declared, value['@odata.type'], target);
    if ('message' in actual) return actual;
    const type = actual.type;
    const open = this.isOpen(type, closedTypes);

    for (const [key, propertyValue] of Object.entries(value)) {
      const propertyTarget = joinTarget(target, key);
      if (key.startsWith('@')) continue; // instance annotations such as '@odata.type', '@odata.etag'
      const at = key.indexOf('@');
      if (at > 0) {
        const problem = this.checkPropertyAnnotation(
          type,
          key.slice(0, at),
          key.slice(at + 1),
          propertyValue,
          propertyTarget,
        );
        if (problem) return problem;
        continue;
      }
      const property = this.findProperty(type.name, key);
      if (!property) {
        if (open) continue;
        return { target: propertyTarget, message: `Property '${key}' does not exist on type '${type.name}'` };
      }
      const problem = this.checkTyped(
        property,
        propertyValue,
        propertyTarget,
        closedTypes,
        `type '${type.name}'`,
      );
      if (problem) return problem;
    }
    return undefined;
  }

  private resolveOdataType(
    declared: CsdlStructuredType,
    odataType: unknown,
    target: string,
  ): { type: CsdlStructuredType } | CsdlProblem {
    const typeTarget = joinTarget(target, '@odata.type');
    if (odataType === undefined) {
      if (declared.abstract) {
        return {
          target: typeTarget,
          message: `Type '${declared.name}' is abstract: '@odata.type' must name a concrete type derived from it`,
        };
      }
      return { type: declared };
    }
    if (typeof odataType !== 'string') {
      return { target: typeTarget, message: `'@odata.type' must be a string such as '#${declared.name}'` };
    }
    const named = odataType.replace(/^#/, '').replace(/^graph\./, 'microsoft.graph.');
    const type = this.structured.get(named);
    if (!type)
      return { target: typeTarget, message: `The type '${odataType}' is not defined in the Graph metadata` };
    if (!this.isSameOrDerived(type.name, declared.name)) {
      return {
        target: typeTarget,
        message: `The type '${type.name}' is not compatible with the expected type '${declared.name}'`,
      };
    }
    if (type.abstract) {
      return { target: typeTarget, message: `Type '${type.name}' is abstract and cannot be created` };
    }
    return { type };
  }

  private checkPropertyAnnotation(
    type: CsdlStructuredType,
    propertyName: string,
    annotation: string,
    value: unknown,
    target: string,
  ): CsdlProblem | undefined {
    const property = this.findProperty(type.name, propertyName);
    if (!property) {
      return { target, message: `Property '${propertyName}' does not exist on type '${type.name}'` };
    }
    if (annotation !== 'odata.bind') return undefined;
    if (!property.navigation) {
      return {
        target,
        message: `'${propertyName}@odata.bind' is not allowed: '${propertyName}' on type '${type.name}' is not a navigation property`,
      };
    }
    const many = COLLECTION.test(property.type);
    const fits = many
      ? Array.isArray(value) && value.every((item) => typeof item === 'string')
      : typeof value === 'string';
    if (fits) return undefined;
    return {
      target,
      message: many
        ? `'${propertyName}@odata.bind' must be an array of entity URLs`
        : `'${propertyName}@odata.bind' must be a single entity URL`,
    };
  }

  private checkEnum(enumType: CsdlEnumType, value: unknown, target: string): CsdlProblem | undefined {
    if (typeof value !== 'string') {
      return {
        target,
        message: `Value '${describeLiteral(value)}' is not a member of enum '${enumType.name}'`,
      };
    }
    // Flags enums travel as comma-separated member names ('reactionAdded,reactionRemoved').
    const names = enumType.isFlags ? value.split(',').map((name) => name.trim()) : [value];
    for (const name of names) {
      if (!enumType.members.has(name)) {
        return { target, message: `Value '${name}' is not a member of enum '${enumType.name}'` };
      }
    }
    return undefined;
  }
}

const CSDL_FILE_NAME = 'graph-v1.0.csdl.xml';

/** Finds test/fixtures/schemas/graph-v1.0.csdl.xml from the sources and from the compiled dist/ tree. */
export function graphCsdlPath(): string {
  const candidates = [
    path.resolve(__dirname, '..', 'fixtures', 'schemas', CSDL_FILE_NAME),
    path.resolve(__dirname, '..', '..', '..', 'test', 'fixtures', 'schemas', CSDL_FILE_NAME),
  ];
  const found = candidates.find((candidate) => fs.existsSync(candidate));
  if (!found) throw new Error(`Graph metadata not found; looked in:\n${candidates.join('\n')}`);
  return found;
}

const cache = new Map<string, CsdlModel>();

/** The Graph v1.0 model, parsed on first use and kept for the life of the process. */
export function loadGraphCsdl(filePath: string = graphCsdlPath()): CsdlModel {
  const resolved = path.resolve(filePath);
  let model = cache.get(resolved);
  if (!model) {
    model = CsdlModel.fromXml(fs.readFileSync(resolved, 'utf8'));
    cache.set(resolved, model);
  }
  return model;
}
