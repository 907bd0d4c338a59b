/**
 * A pure function of a string with its results for the last keys asked kept (up to `size` of
 * them; then it starts afresh): reference lists ask the same things again and again ("2019.",
 * "Routledge"). Callers must not change a result they are handed: it may be handed out again.
 */
export function remembered<T>(size: number, compute: (key: string) => T): (key: string) => T {
  const results = new Map<string, T>();
  return (key) => {
    if (results.has(key)) return results.get(key) as T;
    const result = compute(key);
    if (results.size >= size) results.clear();
    results.set(key, result);
    return result;
  };
}
