import { cpSync, existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCore, type Core } from '../electron/app/core.ts';
import { KeyFileStore } from '../electron/services/key-store.ts';
import { generateDemoData } from '../scripts/demo-data/generate.ts';

export interface Figures {
  label: string;
  p50: number;
  p95: number;
  p99: number;
  mean: number;
  n: number;
}

export function percentiles(label: string, samples: number[]): Figures {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
  return { label, p50: at(50), p95: at(95), p99: at(99), mean: samples.reduce((a, b) => a + b, 0) / samples.length, n: samples.length };
}

/** Times `run` `count` times after `warmUp` uncounted runs; each call gets its index (warm-ups negative). */
export async function time(label: string, count: number, run: (i: number) => unknown, warmUp = 50): Promise<Figures> {
  for (let i = 0; i < warmUp; i++) await run(-1 - i);
  const samples: number[] = [];
  for (let i = 0; i < count; i++) {
    const t0 = performance.now();
    await run(i);
    samples.push(performance.now() - t0);
  }
  return percentiles(label, samples);
}

/** Prints figures as a table, each with its p50 and p95 as a ratio to the first row's (the baseline). */
export function printTable(title: string, rows: Figures[]): void {
  const base = rows[0];
  console.log(`\n${title} (ms)`);
  console.log('label'.padEnd(58), 'n'.padStart(5), 'p50'.padStart(8), 'p95'.padStart(8), 'p99'.padStart(8), 'mean'.padStart(8), 'p50 ×'.padStart(7), 'p95 ×'.padStart(7));
  for (const r of rows) {
    const ratio = (a: number, b: number | undefined) => (b ? (a / b).toFixed(1) : '');
    console.log(
      r.label.padEnd(58),
      String(r.n).padStart(5),
      ...[r.p50, r.p95, r.p99, r.mean].map((v) => v.toFixed(3).padStart(8)),
      ratio(r.p50, base?.p50).padStart(7),
      ratio(r.p95, base?.p95).padStart(7),
    );
  }
}

/**
 * A demo-data folder to measure on, as a private copy (the bench writes to it): `--data DIR` copies
 * an existing one (made by `npm run demo-data`); without it, one is built here (about two minutes
 * for 100,000 loads).
 */
export async function demoDataCopy(args: string[], loads = 100_000): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'notchify-bench-'));
  const i = args.indexOf('--data');
  const source = i >= 0 ? args[i + 1] : undefined;
  if (source) {
    if (!existsSync(join(source, 'notchify.db'))) throw new Error(`${source} holds no notchify.db; run npm run demo-data first`);
    cpSync(source, dir, { recursive: true });
    return dir;
  }
  console.log(`Building ${loads.toLocaleString()} demo loads in ${dir} …`);
  await generateDemoData(dir, {
    loads,
    customers: Math.max(20, Math.round(loads / 50)),
    carriers: Math.max(50, Math.round(loads / 5)),
    seed: 7,
    now: new Date(),
    recentDays: 45,
  });
  return dir;
}

/** The app's core on a data folder, as a host would run it; a sender is just a session key. */
export function benchCore(dataDir: string): Core<string> {
  return createCore<string>({
    dataDir,
    keyStore: new KeyFileStore(dataDir),
    events: { broadcast: () => undefined, toSession: () => undefined },
    isTrustedSender: () => true,
    sessionKeyOf: (s) => s,
  });
}
