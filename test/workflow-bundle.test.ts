import { readFileSync } from 'node:fs';
import { testEnv } from './support/test-env';

/**
 * The workflow bundle the worker loads (the global setup builds it from workflows/ exactly as the worker
 * does) carries no zod and no schema module: every cached workflow pays for the bundle's code in the
 * worker's memory (bench W7), and zod alone was two thirds of it. Workflows import the zod-free modules
 * (calendar-dates, business-keys, project-rules, consolidation-rules, event-payloads) instead.
 */
const code = readFileSync(testEnv('bundle'), 'utf8');
const sourceMapAt = code.lastIndexOf('//# sourceMappingURL=');
const codeBytes = Buffer.byteLength(sourceMapAt >= 0 ? code.slice(0, sourceMapAt) : code);
/** webpack names each module in the bundle by its path: `/***\/ "./libs/domain/limits.ts"`. */
const modules = [...code.matchAll(/^\/\*\*\*\/ "([^"]+)"$/gm)].map((m) => m[1] as string);

/** The modules that hold zod schemas; the workflows take their pure rules from the zod-free modules beside them. */
const SCHEMA_MODULES = /libs\/domain\/(schemas|project|consolidation|launch-kinds|people)\.[jt]s$/;

it('holds the workflows and their zod-free rules, and says how large it is', () => {
  process.stdout.write(`workflow bundle: ${(Buffer.byteLength(code) / 2 ** 20).toFixed(2)} MiB in all, `
    + `${(codeBytes / 2 ** 20).toFixed(2)} MiB of code (the rest its inline source map), ${modules.length} modules\n`);
  expect(modules).toEqual(expect.arrayContaining([
    expect.stringMatching(/workflows\/index\.[jt]s$/), expect.stringMatching(/libs\/domain\/event-payloads\.[jt]s$/),
  ]));
});

it('carries no zod', () => {
  expect(modules.filter((m) => /node_modules\/zod\//.test(m))).toEqual([]);
});

it('carries no schema module', () => {
  expect(modules.filter((m) => SCHEMA_MODULES.test(m))).toEqual([]);
});

it('stays under 1 MiB of code (zod alone added as much)', () => {
  expect(codeBytes).toBeLessThan(2 ** 20);
});
