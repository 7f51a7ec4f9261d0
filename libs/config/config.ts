import { z } from 'zod';
import { DEFAULT_NAMESPACE, DEFAULT_TASK_QUEUE, DEFAULT_TEMPORAL_ADDRESS } from '../temporal/settings';

const configSchema = z.object({
  DATABASE_URL: z.string().url().default('postgres://postgres@127.0.0.1:5432/fuusio'),
  TEMPORAL_ADDRESS: z.string().min(3).default(DEFAULT_TEMPORAL_ADDRESS),
  TEMPORAL_NAMESPACE: z.string().min(1).default(DEFAULT_NAMESPACE),
  TEMPORAL_TASK_QUEUE: z.string().min(1).default(DEFAULT_TASK_QUEUE),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default('127.0.0.1'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  DB_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
  // Without it the worker delivers webhooks only; e-mails wait in the outbox.
  SMTP_URL: z.string().regex(/^smtps?:\/\//, 'an smtp:// or smtps:// URL').optional(),
  FUUSIO_PUBLIC_URL: z.string().url().optional(),
  MAIL_FROM: z.string().min(3).default('Fuusio <fuusio@localhost>'),
  OUTBOX_POLL_MS: z.coerce.number().int().min(50).max(600_000).default(1000),
  // How often the worker archives closed runs' histories into PostgreSQL; 0 turns the archiver off.
  ARCHIVE_EVERY_MS: z.coerce.number().int().min(0).max(86_400_000).default(60_000),
  // How long a claimed message is held before another sender may take it up (after a sender died).
  OUTBOX_LEASE_MS: z.coerce.number().int().min(100).max(3_600_000).default(60_000),
  // Ed25519 PKCS#8 PEM (newlines may be written as \\n); without it a published development key signs.
  AUDIT_SIGNING_KEY: z.string().includes('PRIVATE KEY', { message: 'a PKCS#8 PEM private key' }).optional(),
  // How often the API logs the chain heads and signs a checkpoint; 0 switches the timer off.
  AUDIT_CHECKPOINT_SECONDS: z.coerce.number().int().min(0).max(86_400).default(10),
  NODE_ENV: z.string().optional(),
}).refine((c) => c.NODE_ENV !== 'production' || c.AUDIT_SIGNING_KEY !== undefined, {
  path: ['AUDIT_SIGNING_KEY'], message: 'is required in production (the development key is public)',
});

export type FuusioConfig = {
  databaseUrl: string;
  temporal: { address: string; namespace: string; taskQueue: string };
  http: { port: number; host: string };
  logLevel: z.infer<typeof configSchema>['LOG_LEVEL'];
  dbPoolSize: number;
  /** Delivery of the outbox: SMTP, the dashboard's address for links, the sender address, how often to poll. */
  notify: { smtpUrl: string | null; publicUrl: string; mailFrom: string; pollMs: number; leaseMs: number };
  /** How often the worker's archiver stores closed runs' histories (0: never). */
  archiveEveryMs: number;
  /** The checkpoint signing key (null: the development key) and the checkpoint interval (0: only on demand). */
  audit: { signingKeyPem: string | null; checkpointSeconds: number };
};

/** Reads and validates the environment once at start-up; a bad value stops the process with the variable named. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): FuusioConfig {
  const parsed = configSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    throw new Error(`Invalid configuration:\n  ${lines.join('\n  ')}`);
  }
  const c = parsed.data;
  return {
    databaseUrl: c.DATABASE_URL,
    temporal: { address: c.TEMPORAL_ADDRESS, namespace: c.TEMPORAL_NAMESPACE, taskQueue: c.TEMPORAL_TASK_QUEUE },
    http: { port: c.PORT, host: c.HOST },
    logLevel: c.LOG_LEVEL,
    dbPoolSize: c.DB_POOL_SIZE,
    notify: {
      smtpUrl: c.SMTP_URL ?? null,
      publicUrl: c.FUUSIO_PUBLIC_URL ?? `http://${c.HOST}:${c.PORT}`,
      mailFrom: c.MAIL_FROM,
      pollMs: c.OUTBOX_POLL_MS,
      leaseMs: c.OUTBOX_LEASE_MS,
    },
    archiveEveryMs: c.ARCHIVE_EVERY_MS,
    audit: { signingKeyPem: c.AUDIT_SIGNING_KEY ?? null, checkpointSeconds: c.AUDIT_CHECKPOINT_SECONDS },
  };
}
