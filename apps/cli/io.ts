/** Where a CLI run writes and what environment it reads: the real process, or a test's capture. */
export type CliIo = {
  stdout: { write(chunk: string): unknown };
  stderr: { write(chunk: string): unknown };
  env: NodeJS.ProcessEnv;
};

/** Exit codes: 0 success, 1 an API or other failure, 2 a usage error (bad arguments or options). */
export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;

/** Bad input on the command line: reported as `error: <message>` with exit code 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/**
 * A failure that is not a usage error (the API said no, the database is unreachable, the audit
 * chain is broken). `lines` is printed to stderr as is; the exit code is 1 unless given.
 */
export class CliFailure extends Error {
  override readonly name = 'CliFailure';
  constructor(
    readonly lines: string[],
    readonly exitCode = 1,
  ) {
    super(lines[0] ?? 'failed');
  }
}

export function println(stream: CliIo['stdout'], line = ''): void {
  stream.write(`${line}\n`);
}

export function printJson(io: CliIo, value: unknown): void {
  println(io.stdout, JSON.stringify(value, null, 2));
}
