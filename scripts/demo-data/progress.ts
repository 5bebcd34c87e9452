/** A progress bar on a terminal, or a line every few seconds when the output is a log (CI). */
export function progressBar(label: string, total: number) {
  const started = Date.now();
  let lastLine = 0;
  return {
    update(done: number) {
      const now = Date.now();
      const pct = total === 0 ? 1 : Math.min(1, done / total);
      const seconds = ((now - started) / 1000).toFixed(1);
      const count = `${done.toLocaleString('en-US')}/${total.toLocaleString('en-US')}`;
      if (process.stderr.isTTY) {
        const width = 30;
        const filled = Math.round(pct * width);
        process.stderr.write(`\r${label.padEnd(22)} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${String(Math.round(pct * 100)).padStart(3)}% ${count} ${seconds}s`);
      } else if (now - lastLine > 5000 || done >= total) {
        process.stderr.write(`${label}: ${String(Math.round(pct * 100))}% (${count}) ${seconds}s\n`);
        lastLine = now;
      }
    },
    finish() {
      if (process.stderr.isTTY) process.stderr.write('\n');
    },
  };
}
