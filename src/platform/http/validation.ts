import type { FastifyInstance } from 'fastify';
import { Ajv } from 'ajv';
import addFormats from 'ajv-formats';

/**
 * Validation for the JSON API, stricter than the pages': a field the schema does not know is an error
 * (pages' forms drop it silently, Fastify's default), every failing field is reported (not only the
 * first), and a JSON body is taken as sent, never coerced ("5" is not 5). Query strings and path
 * parameters are text by nature, so there numbers and booleans are read from text, and a single value
 * may stand for a list of one.
 */
export function registerApiValidation(app: FastifyInstance): void {
  const options = { allErrors: true, useDefaults: true, removeAdditional: false, strict: false } as const;
  const forBodies = new Ajv({ ...options, coerceTypes: false });
  const forText = new Ajv({ ...options, coerceTypes: 'array' });
  for (const ajv of [forBodies, forText]) (addFormats as unknown as (ajv: Ajv) => void)(ajv);
  app.setValidatorCompiler(({ schema, httpPart }) => (httpPart === 'body' ? forBodies : forText).compile(schema));
}
