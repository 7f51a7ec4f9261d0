import type { CliIo } from './io';

/**
 * A progress bar on stderr, `[#####.....] 5/10` and an optional note: redrawn in place on a terminal (a
 * new line once a count reaches its total), one line per step elsewhere; nothing when not `shown`.
 * Shared by `fuusio replay --progress` and `fuusio audit verify`.
 */
export function progressLine(io: CliIo, shown: boolean): (done: number, total: number, note?: string) => void {
  if (!shown) return () => undefined;
  const tty = isTty(io);
  const width = 10;
  const render = (done: number, total: number, note?: string) => {
    const filled = total <= 0 ? width : Math.min(width, Math.round((done / total) * width));
    return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total}${note ? ` ${note}` : ''}`;
  };
  return (done, total, note) => {
    if (tty) io.stderr.write(`\r${render(done, total, note)}${done >= total ? '\n' : ''}`);
    else io.stderr.write(`${render(done, total, note)}\n`);
  };
}

export function isTty(io: CliIo): boolean {
  return (io.stderr as { isTTY?: boolean }).isTTY === true;
}
