// One bot instance of the due-pings benchmark, in a process of its own: it opens the shared
// PostgreSQL database with its own engine and clock (set to when the pings are due), waits for
// "go", sends every due ping it can claim, and reports what it sent over IPC.
// Run as: node --import tsx scripts/bench/ping-instance.ts <databaseUrl> <instanceId> <nowIso>
import { FakeClock } from '../../test/fakes/clock.ts';
import { drainPings, openInstance } from '../../test/support/instances.ts';

const [url, id, now] = process.argv.slice(2);
if (!url || !id || !now) throw new Error('usage: ping-instance.ts <databaseUrl> <instanceId> <nowIso>');
const instance = await openInstance(url, id, new FakeClock(new Date(now)));
process.once('message', async () => {
  const totals = await drainPings(instance);
  await instance.store.close();
  process.send?.({ sent: totals.sent, lost: totals.lost, failed: totals.failed.length }, () => process.exit(0));
});
process.send?.({ ready: true });
