import { defaultDataDir } from '../../electron/app/data-dir.ts';
import { DEMO_PASSWORD, DEMO_USERS, generateDemoData } from './generate.ts';
import { progressBar } from './progress.ts';

/**
 * `npm run demo-data -- --loads 100000 [--customers 2000] [--carriers 20000] [--seed 7]`
 * Builds a realistic brokerage in the data folder (NOTCHIFY_DATA_DIR), which must be empty.
 */
const args = process.argv.slice(2);
const option = (name: string, fallback: number) => {
  const i = args.indexOf(`--${name}`);
  if (i < 0) return fallback;
  const value = Number(args[i + 1]);
  if (!Number.isInteger(value) || value < 0) {
    console.error(`--${name} must be a whole number`);
    process.exit(2);
  }
  return value;
};
const loads = option('loads', 100_000);
const options = {
  loads,
  customers: option('customers', Math.max(20, Math.round(loads / 50))),
  carriers: option('carriers', Math.max(50, Math.round(loads / 5))),
  seed: option('seed', 7),
  now: new Date(),
  recentDays: option('recent-days', 45),
};
const dataDir = defaultDataDir();
console.log(`Building demo data in ${dataDir}: ${options.customers.toLocaleString()} customers, ${options.carriers.toLocaleString()} carriers, ${options.loads.toLocaleString()} loads`);

const bars = new Map<string, ReturnType<typeof progressBar>>();
const labels = { customers: 'Customers', carriers: 'Carriers', history: 'Load history (import)', recent: 'Recent loads (commands)' };
const started = Date.now();
try {
  const summary = await generateDemoData(dataDir, options, (stage, done, total) => {
    let bar = bars.get(stage);
    if (!bar) {
      for (const other of bars.values()) other.finish();
      bar = progressBar(labels[stage], total);
      bars.set(stage, bar);
    }
    bar.update(done);
  });
  for (const bar of bars.values()) bar.finish();
  console.log(`\nDone in ${((Date.now() - started) / 1000).toFixed(1)} s.`);
  console.log(`  loads ${summary.loads.toLocaleString()}, tracking events ${summary.events.toLocaleString()}, outbox ${summary.outbox.toLocaleString()}, audit ${summary.audit.toLocaleString()}`);
  console.log(`  statuses: ${summary.statuses.map((s) => `${s.status} ${s.n.toLocaleString()}`).join(', ')}`);
  console.log(`  credit overrides recorded on the way: ${String(summary.overrides)}`);
  console.log(`\nSign in with any of these (password "${DEMO_PASSWORD}"):`);
  for (const user of DEMO_USERS) console.log(`  ${user.email.padEnd(28)} ${user.roles.join(', ')}`);
} catch (error) {
  for (const bar of bars.values()) bar.finish();
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
}
