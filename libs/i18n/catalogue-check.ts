import type { Catalogue } from './translator';

/** Every text of a catalogue as `a.b.c` → text. */
export function flatten(tree: Catalogue, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  for (const [k, v] of Object.entries(tree)) {
    const key = prefix ? `${prefix}.${k}` : k;
    if (typeof v === 'string') out.set(key, v);
    else for (const [kk, vv] of flatten(v, key)) out.set(kk, vv);
  }
  return out;
}

/** The interpolation variables of a text, sorted: `{{count}}` and `{{day, helsinkiDate}}` give count and day. */
export function placeholders(text: string): string[] {
  return [...text.matchAll(/\{\{\s*([\w.]+)\s*(?:,[^}]*)?\}\}/g)].map((m) => m[1] as string).sort();
}

/**
 * What is wrong with a set of catalogues of the same texts in several languages, one line per problem:
 * a key missing in a language (or only there), an empty text, or a text whose variables differ from the
 * reference language's. Empty when all agree.
 */
export function catalogueProblems(catalogues: Record<string, Catalogue>, reference: string): string[] {
  const flat = Object.fromEntries(Object.entries(catalogues).map(([lang, c]) => [lang, flatten(c)]));
  const ref = flat[reference];
  if (!ref) return [`no ${reference} catalogue`];
  const problems: string[] = [];
  for (const [lang, texts] of Object.entries(flat)) {
    for (const key of ref.keys()) if (!texts.has(key)) problems.push(`${lang}: ${key} is missing`);
    for (const [key, text] of texts) {
      const expected = ref.get(key);
      if (expected === undefined) problems.push(`${lang}: ${key} is not in ${reference}`);
      if (text.trim() === '') problems.push(`${lang}: ${key} is empty`);
      else if (expected !== undefined && placeholders(text).join() !== placeholders(expected).join()) {
        problems.push(`${lang}: ${key} uses {{${placeholders(text).join(', ')}}} where ${reference} uses {{${placeholders(expected).join(', ')}}}`);
      }
    }
  }
  return problems;
}
