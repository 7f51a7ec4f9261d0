import type { Params } from 'nestjs-pino';
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { DestinationStream } from 'pino';
import { REQUEST_ID_PATTERN } from './common/request-id';

export const REDACTED = '[Redacted]';
/** Query parameters that carry credentials; GET /api/stream takes the token as access_token. */
const SECRET_PARAMS = /([?&](?:access_token|token)=)[^&#]*/gi;

/** A URL as it may be logged: the value of every credential parameter replaced. */
export function redactUrl(url: string | undefined): string | undefined {
  return url?.replace(SECRET_PARAMS, `$1${REDACTED}`);
}

export type ApiLogOptions = {
  /** Where the log lines go (stdout when absent): tests read the lines from here. */
  stream?: DestinationStream;
  level?: string;
};

/** The request logger: JSON lines (pretty in a terminal), request ids kept, tokens never written. */
export function apiLoggerParams(opts: ApiLogOptions = {}): Params {
  const pretty = !opts.stream && process.stdout.isTTY && process.env.LOG_FORMAT !== 'json';
  return {
    pinoHttp: {
      name: 'fuusio-api',
      level: opts.level ?? process.env.LOG_LEVEL ?? 'info',
      // A client's own x-request-id is kept when it is a sane token: it ends up in logs and audit keys.
      genReqId: (req: IncomingMessage) => {
        const sent = req.headers['x-request-id'];
        return typeof sent === 'string' && REQUEST_ID_PATTERN.test(sent) ? sent : randomUUID();
      },
      // Tokens never reach the logs: not the header, not the parsed query, not the URL that carries it.
      redact: { paths: ['req.headers.authorization', 'req.headers.cookie', 'req.query.access_token', 'req.query.token'], censor: REDACTED },
      serializers: {
        req: (req: { url?: string }) => {
          req.url = redactUrl(req.url);
          return req;
        },
      },
      customProps: (req: IncomingMessage) => {
        const match = /\/api\/workflows\/([^/?]+)/.exec(req.url ?? '');
        if (!match?.[1]) return {};
        try {
          return { workflowId: decodeURIComponent(match[1]) };
        } catch {
          return { workflowId: match[1] }; // not valid percent-encoding: the route answers 400 for it
        }
      },
      ...(opts.stream ? { stream: opts.stream } : {}),
      ...(pretty ? { transport: { target: 'pino-pretty', options: { colorize: true, translateTime: 'SYS:HH:MM:ss.l' } } } : {}),
    },
  };
}
