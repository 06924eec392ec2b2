import { createRequire } from 'node:module';
import type { FastifyServerOptions } from 'fastify';

type ValidatorFactory = NonNullable<
  NonNullable<NonNullable<FastifyServerOptions['schemaController']>['compilersFactory']>['buildValidator']
>;

/** The ajv compiler Fastify itself is built with, so both kinds of validator behave alike. */
const ajvCompiler = createRequire(import.meta.resolve('fastify'))(
  '@fastify/ajv-compiler',
) as () => ValidatorFactory;

/**
 * Query strings, path parameters and headers arrive as text, so their `limit=5` is read as the
 * number the schema asks for. A JSON body already has types: `{"path": 123}` is a mistake (or a
 * probe) and answers 400, rather than being quietly turned into the folder "/123".
 */
export function typedBodies(): ValidatorFactory {
  const coercing = ajvCompiler();
  const exact = ajvCompiler();
  return (externalSchemas, options) => {
    const forText = coercing(externalSchemas, options);
    const forBodies = exact(externalSchemas, {
      ...options,
      customOptions: { ...options?.customOptions, coerceTypes: false },
    } as Parameters<ValidatorFactory>[1]);
    return (route) => (route.httpPart === 'body' ? forBodies(route) : finiteOnly(forText(route)));
  };
}

type Validator = ReturnType<ReturnType<ValidatorFactory>>;

/**
 * ajv reads `limit=1e400` as Infinity and lets it pass `integer` and `maximum`; no parameter of
 * this API means that, and a search or page handed Infinity failed deep down with a 500.
 */
function finiteOnly(validate: Validator): Validator {
  const checked = ((data: unknown) => {
    const ok = validate(data);
    checked.errors = validate.errors;
    if (ok !== true) return ok;
    const field = nonFiniteField(data);
    if (field === null) return true;
    checked.errors = [
      {
        keyword: 'maximum',
        instancePath: `/${field}`,
        schemaPath: '#',
        params: {},
        message: 'must be a finite number',
      },
    ];
    return false;
  }) as Validator;
  return checked;
}

function nonFiniteField(data: unknown): string | null {
  if (data === null || typeof data !== 'object') return null;
  for (const [key, value] of Object.entries(data))
    for (const item of Array.isArray(value) ? value : [value])
      if (typeof item === 'number' && !Number.isFinite(item)) return key;
  return null;
}
