import type { Command } from 'commander';
import { ApiClient, DEFAULT_API_URL } from '../http-client';
import { cliLanguage, cliTexts, type CliText } from '../i18n';
import { UsageError, type CliIo } from '../io';
import type { Lang } from '../../../libs/i18n/languages';

export type GlobalOptions = { api?: string; token?: string; json?: boolean; lang?: string };

/** What an action needs: where to write, whether to print JSON, the texts for people, and an API client on demand. */
export type Context = {
  io: CliIo;
  json: boolean;
  /** The language of the human output (--json never changes with it). */
  lang: Lang;
  /** The human output's texts in that language (apps/cli/i18n). */
  t: CliText;
  /** The API client; a usage error when no token is given. */
  api(): ApiClient;
};

export function contextOf(command: Command, io: CliIo): Context {
  const g = command.optsWithGlobals<GlobalOptions>();
  const lang = cliLanguage(g.lang, io.env);
  return {
    io,
    json: g.json === true,
    lang,
    t: cliTexts(lang),
    api() {
      const baseUrl = g.api ?? io.env.FUUSIO_API_URL ?? DEFAULT_API_URL;
      try {
        new URL(baseUrl);
      } catch {
        throw new UsageError(`the API address "${baseUrl}" is not a URL (pass --api or set FUUSIO_API_URL)`);
      }
      const token = g.token ?? io.env.FUUSIO_TOKEN;
      if (!token) throw new UsageError('no API token: pass --token <token> or set FUUSIO_TOKEN');
      return new ApiClient({ baseUrl, token });
    },
  };
}

/** The path segment for a workflow id (ids contain `:`). */
export function wf(id: string): string {
  return `/api/workflows/${encodeURIComponent(id)}`;
}
