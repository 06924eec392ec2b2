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
    return (route) => (route.httpPart === 'body' ? forBodies(route) : forText(route));
  };
}
