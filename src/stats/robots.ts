import { readFileSync } from 'node:fs';

/**
 * Robots and crawlers, COUNTER Code of Practice R5.1 §7.8: any transaction whose user agent matches
 * the COUNTER-Robots list MUST be left out of every COUNTER report. The list (MIT, atmire/COUNTER-Robots,
 * copied beside this file with its licence so the app needs nothing outside `src/`) is an array of
 * `{ pattern, last_changed, description? }`, where `pattern` is a case-insensitive regular expression
 * searched anywhere in the User-Agent header.
 *
 * A missing or blank user agent counts as a robot. Every browser sends one, the list itself says so
 * (`^.?$` and `no_user_agent`), and the CoP asks providers to leave out any robot they can identify,
 * so the rule is kept here explicitly rather than left to whatever a refreshed list contains.
 */

/** The list as shipped with Revista; a CLI can refresh this file and restart the app. */
const BUNDLED_LIST = new URL('./COUNTER_Robots_list.json', import.meta.url);

/**
 * Parses a COUNTER robots list into one case-insensitive RegExp per entry, in list order. Throws a
 * message naming the entry when the shape is wrong or a pattern does not compile, so a refresh never
 * silently drops a robot.
 */
export function loadRobotPatterns(json: string): RegExp[] {
  const data: unknown = JSON.parse(json);
  if (!Array.isArray(data)) throw new TypeError('COUNTER robots list: expected a JSON array of { "pattern": "…" } objects');
  return data.map((entry: unknown, index) => {
    const pattern = typeof entry === 'object' && entry !== null ? (entry as { pattern?: unknown }).pattern : undefined;
    if (typeof pattern !== 'string' || pattern === '') {
      throw new TypeError(`COUNTER robots list: entry ${index} has no "pattern" string`);
    }
    try {
      // No `u` flag: the list is written for PCRE-like engines and uses identity escapes such as `\%` and `\-`.
      return new RegExp(pattern, 'i');
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new SyntaxError(`COUNTER robots list: entry ${index} (${JSON.stringify(pattern)}) is not a valid regular expression: ${reason}`);
    }
  });
}

/**
 * One test for the whole list: the patterns joined into a single alternation, so a user agent is
 * scanned once instead of 300 times. A pattern with a back-reference would change meaning once its
 * groups are renumbered, so such patterns (none in the 2024 list) stay separate.
 */
export function robotMatcher(patterns: readonly RegExp[]): (userAgent: string | undefined) => boolean {
  const hasBackReference = (p: RegExp) => /\\[1-9]|\\k</.test(p.source);
  const joinable = patterns.filter((p) => !hasBackReference(p));
  const regexps = patterns.filter(hasBackReference).map((p) => new RegExp(p.source, 'i'));
  if (joinable.length > 0) regexps.unshift(new RegExp(joinable.map((p) => `(?:${p.source})`).join('|'), 'i'));
  // Real traffic repeats a few thousand user agents, so answers are remembered (bounded: a flood of
  // made-up agents only empties the memory now and then).
  const known = new Map<string, boolean>();
  return (userAgent) => {
    if (userAgent === undefined || userAgent.trim() === '') return true;
    let robot = known.get(userAgent);
    if (robot === undefined) {
      robot = regexps.some((r) => r.test(userAgent));
      if (known.size >= 10_000) known.clear();
      if (userAgent.length <= 1_000) known.set(userAgent, robot);
    }
    return robot;
  };
}

interface RobotList {
  count: number;
  matches: (userAgent: string | undefined) => boolean;
}

let bundled: RobotList | undefined;

/** Read and compiled on first use, once per process. */
function bundledList(): RobotList {
  if (!bundled) {
    const patterns = loadRobotPatterns(readFileSync(BUNDLED_LIST, 'utf8'));
    bundled = { count: patterns.length, matches: robotMatcher(patterns) };
  }
  return bundled;
}

/** True when COUNTER reports must leave this request out: a listed robot, or no user agent at all. */
export function isRobot(userAgent: string | undefined): boolean {
  return bundledList().matches(userAgent);
}

/** How many patterns the bundled list holds (327 in the April 2024 list); for the CLI and health checks. */
export function robotPatternCount(): number {
  return bundledList().count;
}

/**
 * A refreshed list (written by `revista stats robots`) replaces the bundled one when present.
 * Returns the number of patterns now in use.
 */
export function useRobotsListFile(file: string): number | undefined {
  let json: string;
  try {
    json = readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
  const patterns = loadRobotPatterns(json);
  bundled = { count: patterns.length, matches: robotMatcher(patterns) };
  return patterns.length;
}
