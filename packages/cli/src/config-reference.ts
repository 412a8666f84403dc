import { z } from 'zod';
import { configSchema } from './config';

interface Row {
  key: string;
  type: string;
  required: boolean;
  defaultValue?: unknown;
  /** The optional section a required key belongs to: required only when that section is given. */
  within?: string;
}

/** A zod type as a reader writes it: `number > 0`, `'min' | 'max'`, `integer[]`. */
function typeOf(schema: z.ZodTypeAny): string {
  if (schema instanceof z.ZodOptional || schema instanceof z.ZodNullable) return typeOf(schema.unwrap());
  if (schema instanceof z.ZodDefault) return typeOf(schema._def.innerType);
  if (schema instanceof z.ZodEffects) return typeOf(schema.innerType());
  if (schema instanceof z.ZodNumber) {
    const checks = schema._def.checks.map((c) => {
      if (c.kind === 'int') return 'integer';
      if (c.kind === 'min') return c.inclusive ? `≥ ${c.value}` : `> ${c.value}`;
      if (c.kind === 'max') return c.inclusive ? `≤ ${c.value}` : `< ${c.value}`;
      return c.kind;
    });
    const base = checks.includes('integer') ? 'integer' : 'number';
    const bounds = checks.filter((c) => c !== 'integer');
    return bounds.length ? `${base} ${bounds.join(', ')}` : base;
  }
  if (schema instanceof z.ZodEnum) return schema.options.map((o: string) => `'${o}'`).join(' \\| ');
  if (schema instanceof z.ZodLiteral) return JSON.stringify(schema.value);
  if (schema instanceof z.ZodBoolean) return 'boolean';
  if (schema instanceof z.ZodString) return 'string';
  if (schema instanceof z.ZodArray) return `(${typeOf(schema.element)})[]`;
  if (schema instanceof z.ZodTuple) return `[${schema.items.map(typeOf).join(', ')}]`;
  if (schema instanceof z.ZodUnion) return schema.options.map(typeOf).join(' \\| ');
  if (schema instanceof z.ZodRecord) return 'object';
  if (schema instanceof z.ZodObject) return 'object';
  return 'value';
}

function isRequired(schema: z.ZodTypeAny): boolean {
  return !(schema instanceof z.ZodOptional || schema instanceof z.ZodDefault);
}

function defaultOf(schema: z.ZodTypeAny): unknown {
  return schema instanceof z.ZodDefault ? schema._def.defaultValue() : undefined;
}

function objectOf(schema: z.ZodTypeAny): z.AnyZodObject | undefined {
  if (schema instanceof z.ZodOptional || schema instanceof z.ZodNullable) return objectOf(schema.unwrap());
  if (schema instanceof z.ZodDefault) return objectOf(schema._def.innerType);
  return schema instanceof z.ZodObject ? schema : undefined;
}

function unionOf(schema: z.ZodTypeAny): z.ZodDiscriminatedUnion<string, z.AnyZodObject[]> | undefined {
  if (schema instanceof z.ZodOptional) return unionOf(schema.unwrap());
  return schema instanceof z.ZodDiscriminatedUnion ? schema : undefined;
}

function rows(prefix: string, object: z.AnyZodObject, within?: string): Row[] {
  return Object.entries(object.shape as Record<string, z.ZodTypeAny>).flatMap(([key, field]) => {
    const path = prefix ? `${prefix}.${key}` : key;
    const nested = objectOf(field);
    if (nested && !unionOf(field)) return rows(path, nested, isRequired(field) ? within : path);
    const row = {
      key: path,
      type: typeOf(field),
      required: isRequired(field),
      defaultValue: defaultOf(field),
    };
    return [within ? { ...row, within } : row];
  });
}

function defaultCell(r: Row): string {
  if (r.required) return r.within ? `required in \`${r.within}\`` : 'required';
  return r.defaultValue === undefined ? 'optional' : `\`${JSON.stringify(r.defaultValue)}\``;
}

function table(rowsOf: Row[]): string {
  const lines = rowsOf.map((r) => `| \`${r.key}\` | ${r.type} | ${defaultCell(r)} |`);
  return ['| key | type | default |', '| --- | --- | --- |', ...lines].join('\n');
}

/**
 * The reference of every config key, generated from the config schema itself (the strict zod schemas the
 * CLI validates with): each section, and for model, optimizer and scheduler each component with its
 * options, type and default. "optional" means the component's own default applies.
 */
export function configReference(): string {
  const shape = configSchema.shape as Record<string, z.ZodTypeAny>;
  const out: string[] = [];
  const plain: Row[] = [];
  for (const [key, field] of Object.entries(shape)) {
    const union = unionOf(field);
    if (!union) {
      const nested = objectOf(field);
      if (nested) plain.push(...rows(key, nested, isRequired(field) ? undefined : key));
      else
        plain.push({ key, type: typeOf(field), required: isRequired(field), defaultValue: defaultOf(field) });
      continue;
    }
    for (const option of union.options) {
      const name = (option.shape.name as z.ZodLiteral<string>).value;
      const { name: _name, ...optionsShape } = option.shape as Record<string, z.ZodTypeAny>;
      out.push(
        `#### \`${key}.name: "${name}"\`${isRequired(field) ? '' : ` (the \`${key}\` section is optional)`}\n\n${table(rows(key, z.object(optionsShape)))}`,
      );
    }
  }
  return [`#### Run, data, trainer and callbacks\n\n${table(plain)}`, ...out].join('\n\n');
}
