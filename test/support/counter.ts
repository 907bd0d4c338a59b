import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';

/** The official COUNTER_SUSHI API (OpenAPI 3.1), kept outside the project in ../shared. */
export const COUNTER_DIR = new URL('../../../shared/schemas/counter/', import.meta.url);
export const counterSpec = JSON.parse(readFileSync(new URL('COUNTER_API_r51.json', COUNTER_DIR), 'utf8'));

/** Ajv over the whole OpenAPI document, so `#/components/schemas/...` references resolve. */
export function validatorFor(doc: object): (pointer: string) => ValidateFunction {
  // `{1,3,4}` in the ISIL pattern is only accepted by a non-unicode RegExp (see schemas/README.md).
  const ajv = new Ajv2020({ strict: false, unicodeRegExp: false, allErrors: true });
  (addFormats as unknown as (ajv: Ajv2020) => void)(ajv);
  ajv.addSchema(doc, 'counter');
  return (pointer) => {
    const validate = ajv.getSchema(`counter#${pointer}`);
    assert.ok(validate, `no schema at ${pointer}`);
    return validate;
  };
}

export const schemaAt = validatorFor(counterSpec);

/** Asserts `data` is valid against a component schema (`IR`) or a JSON pointer (`/components/...`). */
export function assertValid(name: string, data: unknown, at: (pointer: string) => ValidateFunction = schemaAt): void {
  const validate = name.startsWith('/') ? at(name) : at(`/components/schemas/${name}`);
  const valid = validate(data);
  assert.ok(valid, `not a valid ${name}:\n${JSON.stringify(validate.errors, null, 2)}`);
}

/** The JSON-schema of an HTTP answer, e.g. `200_Status` or `401_Exception`. */
export const responseSchema = (name: string) => `/components/responses/${name}/content/application~1json/schema`;
