/**
 * OJS locale codes ↔ Revista's. OJS 3.0–3.3 write `en_US`, `pl_PL`, `pt_BR`, `sr_RS@latin`; OJS 3.4+
 * write `en`, `pl`, `pt_BR`. Revista keeps BCP 47 tags (`en`, `pl`, `pt-BR`, `sr-Latn`), so a region
 * is kept only where it tells languages apart (pt_BR vs pt_PT, zh_CN vs zh_TW, fr_CA vs fr_FR) and
 * dropped where OJS 3.3 added it by habit (en_US, pl_PL, de_DE).
 */
const KEPT_REGIONS = new Set(['pt_BR', 'pt_PT', 'zh_CN', 'zh_TW', 'fr_CA', 'es_AR', 'en_GB', 'en_CA', 'en_AU', 'nb_NO', 'nn_NO']);
const SCRIPTS: Record<string, string> = { latin: 'Latn', cyrillic: 'Cyrl' };

/** `en_US` → `en`, `pt_BR` → `pt-BR`, `sr_RS@latin` → `sr-Latn`; undefined for what is not a locale. */
export function fromOjsLocale(code: string | undefined): string | undefined {
  const match = /^([A-Za-z]{2,3})(?:[_-]([A-Za-z]{2}|[0-9]{3}))?(?:@([a-z]+))?$/.exec(code?.trim() ?? '');
  if (!match) return undefined;
  const language = match[1]!.toLowerCase();
  const region = match[2]?.toUpperCase();
  const script = match[3] ? SCRIPTS[match[3]] : undefined;
  if (script) return `${language}-${script}`;
  if (region && KEPT_REGIONS.has(`${language}_${region}`)) return `${language}-${region}`;
  return language;
}

/** `pt-BR` → `pt_BR`, `sr-Latn` → `sr@latin`, `en` → `en`: the OJS 3.4+ spelling, which native.xsd accepts. */
export function toOjsLocale(locale: string): string {
  const [language, second] = locale.split('-');
  if (!second) return language!;
  const script = Object.entries(SCRIPTS).find(([, tag]) => tag === second)?.[0];
  return script ? `${language}@${script}` : `${language}_${second}`;
}
