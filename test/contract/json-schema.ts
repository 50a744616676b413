// A small JSON Schema (2020-12 subset) checker: the keywords the generated OpenAPI document uses.
// Enough to hold the API's responses to the document without adding a validator package.
type Schema = Record<string, unknown>;

export function validate(value: unknown, schema: Schema, root: Schema, at = '$'): string[] {
  if (typeof schema.$ref === 'string') {
    const target = schema.$ref
      .replace(/^#\//, '')
      .split('/')
      .reduce<unknown>((node, part) => (node as Record<string, unknown>)?.[part], root);
    if (!target) return [`${at}: unresolved ${schema.$ref}`];
    return validate(value, target as Schema, root, at);
  }
  const errors: string[] = [];
  const fail = (message: string) => errors.push(`${at}: ${message}`);
  if (schema.type !== undefined) {
    const types = [schema.type].flat() as string[];
    if (!types.some((t) => typeMatches(value, t)))
      fail(`expected ${types.join('|')}, got ${JSON.stringify(value)}`);
  }
  if (Array.isArray(schema.enum) && !schema.enum.some((e) => e === value))
    fail(`not one of ${schema.enum.join(', ')}`);
  if ('const' in schema && schema.const !== value) fail(`not ${JSON.stringify(schema.const)}`);
  if (typeof value === 'string') {
    if (typeof schema.pattern === 'string' && !new RegExp(schema.pattern, 'u').test(value))
      fail(`does not match ${schema.pattern}`);
    if (typeof schema.minLength === 'number' && value.length < schema.minLength) fail('too short');
    if (typeof schema.maxLength === 'number' && value.length > schema.maxLength) fail('too long');
  }
  if (typeof value === 'number') {
    if (typeof schema.minimum === 'number' && value < schema.minimum) fail(`below ${schema.minimum}`);
    if (typeof schema.maximum === 'number' && value > schema.maximum) fail(`above ${schema.maximum}`);
    if (typeof schema.exclusiveMinimum === 'number' && value <= schema.exclusiveMinimum) fail('too small');
    if (typeof schema.exclusiveMaximum === 'number' && value >= schema.exclusiveMaximum) fail('too large');
  }
  if (Array.isArray(value)) {
    if (typeof schema.minItems === 'number' && value.length < schema.minItems) fail('too few items');
    if (typeof schema.maxItems === 'number' && value.length > schema.maxItems) fail('too many items');
    if (schema.items)
      value.forEach((v, i) => errors.push(...validate(v, schema.items as Schema, root, `${at}[${i}]`)));
  }
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    const object = value as Record<string, unknown>;
    const properties = (schema.properties ?? {}) as Record<string, Schema>;
    for (const name of (schema.required ?? []) as string[]) if (!(name in object)) fail(`missing ${name}`);
    for (const [name, v] of Object.entries(object)) {
      if (properties[name]) errors.push(...validate(v, properties[name], root, `${at}.${name}`));
      else if (schema.additionalProperties === false) fail(`undocumented field ${name}`);
      else if (typeof schema.additionalProperties === 'object')
        errors.push(...validate(v, schema.additionalProperties as Schema, root, `${at}.${name}`));
      if (schema.propertyNames)
        errors.push(...validate(name, schema.propertyNames as Schema, root, `${at}{${name}}`));
    }
  }
  if (Array.isArray(schema.allOf))
    for (const s of schema.allOf) errors.push(...validate(value, s as Schema, root, at));
  if (
    Array.isArray(schema.anyOf) &&
    !schema.anyOf.some((s) => validate(value, s as Schema, root, at).length === 0)
  ) {
    fail('matches none of anyOf');
  }
  if (Array.isArray(schema.oneOf)) {
    const matching = schema.oneOf.filter((s) => validate(value, s as Schema, root, at).length === 0).length;
    if (matching !== 1) fail(`matches ${matching} of oneOf, not exactly one`);
  }
  return errors;
}

function typeMatches(value: unknown, type: string): boolean {
  switch (type) {
    case 'null':
      return value === null;
    case 'integer':
      return Number.isInteger(value);
    case 'number':
      return typeof value === 'number' && Number.isFinite(value);
    case 'array':
      return Array.isArray(value);
    case 'object':
      return value !== null && typeof value === 'object' && !Array.isArray(value);
    default:
      return typeof value === type;
  }
}
