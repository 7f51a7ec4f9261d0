import { run } from '../../apps/cli/program';

export type CliResult = { code: number; stdout: string; stderr: string };

/** Runs the fuusio CLI in-process with captured stdout/stderr and only the environment given. */
export async function cli(args: string[], env: NodeJS.ProcessEnv = {}): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  const code = await run(args, {
    stdout: { write: (s: string) => (stdout += s) },
    stderr: { write: (s: string) => (stderr += s) },
    env,
  });
  return { code, stdout, stderr };
}
