import { CliFailure } from './io';

export const DEFAULT_API_URL = 'http://127.0.0.1:3000';
const DEFAULT_TIMEOUT_MS = 60_000;

export type ErrorDetail = { path: string; message: string };

/** A non-2xx answer from the API, carrying its `{ error, message, details }`. */
export class ApiRequestError extends CliFailure {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly apiMessage: string,
    readonly details: ErrorDetail[],
  ) {
    super([`error ${code}: ${apiMessage}`, ...details.map((d) => `  ${d.path || '(body)'}: ${d.message}`)]);
  }
}

export type ApiClientOptions = {
  baseUrl: string;
  token?: string;
  timeoutMs?: number;
  fetch?: typeof fetch;
};

type Query = Record<string, string | number | boolean | undefined>;

/** A small fetch-based client for the Fuusio API; every non-2xx answer becomes an ApiRequestError. */
export class ApiClient {
  readonly baseUrl: string;
  private readonly token: string | undefined;
  private readonly timeoutMs: number;
  private readonly fetchImpl: typeof fetch;

  constructor(options: ApiClientOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.token = options.token;
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.fetchImpl = options.fetch ?? globalThis.fetch;
  }

  get<T>(path: string, query: Query = {}): Promise<T> {
    return this.request<T>('GET', path, query, undefined);
  }

  post<T>(path: string, body: unknown): Promise<T> {
    return this.request<T>('POST', path, {}, body);
  }

  /**
   * A GET answered with NDJSON: each line parsed and handed to `onLine` as it arrives. The timeout is
   * for silence (no line for that long), not for the whole answer, which may take minutes. An answer
   * in plain JSON (a server that does not stream) is handed over as one line.
   */
  async getLines(path: string, query: Query, onLine: (value: unknown) => void): Promise<void> {
    const idle = new AbortController();
    let timer = setTimeout(() => idle.abort(), this.timeoutMs);
    const awake = () => {
      clearTimeout(timer);
      timer = setTimeout(() => idle.abort(), this.timeoutMs);
    };
    const headers: Record<string, string> = { accept: 'application/x-ndjson, application/json' };
    if (this.token) headers.authorization = `Bearer ${this.token}`;
    try {
      let response: Response;
      try {
        response = await this.fetchImpl(this.url(path, query), { method: 'GET', headers, signal: idle.signal });
      } catch (err) {
        throw new CliFailure([`error: cannot reach the API at ${this.baseUrl}: ${describeFetchError(err)}`]);
      }
      if (!response.ok || !response.body || !(response.headers.get('content-type') ?? '').includes('ndjson')) {
        const text = await response.text();
        const parsed = parseJson(text);
        if (!response.ok) throw toApiError(response.status, response.statusText, parsed);
        if (parsed === undefined) throw new CliFailure([`error: the API at ${this.baseUrl} answered GET ${path} with something that is not JSON`]);
        onLine(parsed);
        return;
      }
      const decoder = new TextDecoder();
      let buffered = '';
      const reader = response.body.getReader();
      try {
        for (;;) {
          const { done, value } = await reader.read();
          if (done) break;
          awake();
          buffered += decoder.decode(value, { stream: true });
          const lines = buffered.split('\n');
          buffered = lines.pop() ?? '';
          for (const line of lines) if (line.trim()) onLine(this.lineOf(path, line));
        }
      } catch (err) {
        if (err instanceof CliFailure) throw err;
        throw new CliFailure([`error: the answer of GET ${path} broke off: ${describeFetchError(err)}`]);
      }
      if (buffered.trim()) onLine(this.lineOf(path, buffered));
    } finally {
      clearTimeout(timer);
    }
  }

  private lineOf(path: string, line: string): unknown {
    const parsed = parseJson(line);
    if (parsed === undefined) throw new CliFailure([`error: the API at ${this.baseUrl} answered GET ${path} with a line that is not JSON`]);
    return parsed;
  }

  url(path: string, query: Query = {}): string {
    const u = new URL(`${this.baseUrl}${path}`);
    for (const [key, value] of Object.entries(query)) {
      if (value !== undefined) u.searchParams.set(key, String(value));
    }
    return u.toString();
  }

  private async request<T>(method: 'GET' | 'POST', path: string, query: Query, body: unknown): Promise<T> {
    const url = this.url(path, query);
    const headers: Record<string, string> = { accept: 'application/json' };
    if (this.token) headers.authorization = `Bearer ${this.token}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    let response: Response;
    try {
      response = await this.fetchImpl(url, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (err) {
      throw new CliFailure([`error: cannot reach the API at ${this.baseUrl}: ${describeFetchError(err)}`]);
    }
    const text = await response.text();
    const parsed = parseJson(text);
    if (!response.ok) throw toApiError(response.status, response.statusText, parsed);
    if (parsed === undefined && text.trim() !== '') {
      throw new CliFailure([`error: the API at ${this.baseUrl} answered ${method} ${path} with something that is not JSON`]);
    }
    return (parsed ?? null) as T;
  }
}

function parseJson(text: string): unknown {
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function toApiError(status: number, statusText: string, body: unknown): ApiRequestError {
  const b = (body && typeof body === 'object' ? body : {}) as Record<string, unknown>;
  const code = typeof b.error === 'string' && b.error ? b.error : `http_${status}`;
  const message = typeof b.message === 'string' && b.message ? b.message : statusText || `the API answered ${status}`;
  const details = Array.isArray(b.details)
    ? b.details.map((d): ErrorDetail => {
        const x = (d && typeof d === 'object' ? d : {}) as Record<string, unknown>;
        return { path: typeof x.path === 'string' ? x.path : String(x.path ?? ''), message: typeof x.message === 'string' ? x.message : JSON.stringify(d) };
      })
    : [];
  return new ApiRequestError(status, code, message, details);
}

function describeFetchError(err: unknown): string {
  // Checked by shape, not instanceof: fetch's errors may come from another realm (e.g. under jest).
  const e = asErrorLike(err);
  if (!e) return String(err);
  if (e.name === 'TimeoutError') return 'no answer in time';
  const cause = asErrorLike(e.cause);
  if (cause) {
    const inner = Array.isArray(cause.errors) ? asErrorLike(cause.errors[0]) : undefined;
    const message = cause.message || inner?.message || cause.code;
    if (message) return message;
  }
  return e.message || e.name || String(err);
}

type ErrorLike = { name?: string; message?: string; code?: string; cause?: unknown; errors?: unknown };

function asErrorLike(value: unknown): ErrorLike | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const v = value as Record<string, unknown>;
  return {
    name: typeof v.name === 'string' ? v.name : undefined,
    message: typeof v.message === 'string' ? v.message : undefined,
    code: typeof v.code === 'string' ? v.code : undefined,
    cause: v.cause,
    errors: v.errors,
  };
}
