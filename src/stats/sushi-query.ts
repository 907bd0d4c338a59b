/**
 * The query string of a COUNTER_SUSHI request, read once into one value per parameter.
 *
 * R5.1's API gives every parameter a single string; a filter or attribute with several values lists
 * them separated by `|` (`metric_type=Total_Item_Requests|Unique_Item_Requests`). A client that
 * repeats the key instead (`metric_type=a&metric_type=b`, as HTML forms and many HTTP libraries
 * write lists) means the same list, so the values are joined with `|`. A single-valued parameter
 * repeated with the same value is that value; repeated with different values it names nothing, and
 * the route answers it as it answers an invalid value of that parameter (Appendix D): 3020 for the
 * dates, 1030 for the credentials and customer, 3060/3062 for a filter or attribute it ignores.
 */

/** Parameters whose value is a `|`-separated list in R5.1. */
export const LIST_PARAMETERS: ReadonlySet<string> = new Set(['metric_type', 'data_type', 'access_type', 'access_method', 'yop', 'attributes_to_show', 'item_id', 'country_code', 'subdivision_code']);

export interface SushiQuery {
  /** One string per parameter given with a non-empty value (lists joined with `|`). */
  values: Record<string, string>;
  /** Names of single-valued parameters given more than once with different values (left out of `values`). */
  conflicting: string[];
}

/** Fastify's parsed query (a string, or an array for a repeated key) → one value per parameter. */
export function readSushiQuery(raw: unknown): SushiQuery {
  // No prototype: a parameter named `__proto__` or `constructor` is just a name here.
  const values: Record<string, string> = Object.create(null) as Record<string, string>;
  const conflicting: string[] = [];
  if (!raw || typeof raw !== 'object') return { values, conflicting };
  for (const [name, given] of Object.entries(raw as Record<string, unknown>)) {
    const list = (Array.isArray(given) ? given : [given]).filter((v): v is string => typeof v === 'string').filter((v) => v !== '');
    if (list.length === 0) continue;
    if (LIST_PARAMETERS.has(name)) {
      values[name] = list.join('|');
    } else if (new Set(list).size === 1) {
      values[name] = list[0]!;
    } else {
      conflicting.push(name);
    }
  }
  return { values, conflicting };
}
