import { buildApp } from '../server/app.ts';
import { openPostgres } from '../server/database.ts';

/**
 * The sync server for `bench/sync.ts`, in a process of its own as in production (where it runs on
 * another machine): the desktop and the server then each have a core, and neither's work is timed
 * as the other's. Argument: the database URL; the data key comes hex-encoded in NOTCHIFY_BENCH_KEY.
 * Prints `LISTENING <url>` once it accepts requests; stops when its stdin closes.
 */
const url = process.argv[2];
if (!url) throw new Error('usage: node bench/sync-server-process.ts postgres://…');
const db = openPostgres(url, { max: 12 });
const app = await buildApp({ db, dataKey: Buffer.from(process.env.NOTCHIFY_BENCH_KEY ?? '', 'hex'), rateLimits: { auth: 10_000, sync: 10_000_000 }, pullReadAhead: process.env.NOTCHIFY_BENCH_READ_AHEAD !== 'off' });
const address = await app.listen({ host: '127.0.0.1', port: 0 });
process.stdout.write(`LISTENING ${address}\n`);
process.stdin.resume();
process.stdin.on('end', () => {
  void app.close().then(() => db.close());
});
