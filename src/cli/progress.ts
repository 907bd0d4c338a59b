/**
 * A progress bar for long commands, drawn on standard error so standard output stays clean for the
 * document itself; on a non-terminal it prints a line every tenth of the way instead.
 */
export function progressBar(total: number, label: string, stream: NodeJS.WriteStream = process.stderr): { tick(n?: number): void; done(): void } {
  let done = 0;
  let lastTenth = -1;
  const width = 30;
  const draw = () => {
    const fraction = total === 0 ? 1 : done / total;
    if (stream.isTTY) {
      const filled = Math.round(fraction * width);
      stream.write(`\r${label} [${'#'.repeat(filled)}${' '.repeat(width - filled)}] ${done}/${total}`);
    } else {
      const tenth = Math.floor(fraction * 10);
      if (tenth !== lastTenth) {
        lastTenth = tenth;
        stream.write(`${label}: ${done}/${total}\n`);
      }
    }
  };
  return {
    tick(n = 1) {
      done = Math.min(total, done + n);
      draw();
    },
    done() {
      done = total;
      draw();
      if (stream.isTTY) stream.write('\n');
    },
  };
}
