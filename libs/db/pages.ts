/**
 * Keyset pages, each next page asked for as soon as the one before has arrived: the database reads it
 * while the caller works on the current one (one connection runs the queries one after another, so a
 * snapshot transaction serves them all). `fetch(after)` reads the rows after that key; `goesOn` says
 * whether a page may have more behind it (by default: it was full).
 */
export async function* prefetchedPages<T>(
  after: number, limit: number, fetch: (after: number, limit: number) => Promise<T[]>, keyOf: (row: T) => number,
  goesOn: (page: T[]) => boolean = (page) => page.length === limit,
): AsyncGenerator<T[]> {
  let pending: Promise<T[]> | null = fetch(after, limit);
  try {
    while (pending) {
      const page: T[] = await pending;
      pending = page.length > 0 && goesOn(page) ? fetch(keyOf(page[page.length - 1]!), limit) : null;
      // A caller that stops early never awaits the page asked for meanwhile; its failure is not the caller's.
      pending?.catch(() => undefined);
      if (page.length === 0) return;
      yield page;
    }
  } finally {
    // Let the last query finish before the caller's connection goes on to anything else.
    if (pending) await pending.catch(() => undefined);
  }
}
