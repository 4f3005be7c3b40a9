// Shared by the npm benches: one measurement loop for every client.

/** Calls per second of `op` with `inFlight` callers for `seconds`, and
 * this process's CPU time per call in microseconds (less sensitive than
 * wall time to other load on the machine). */
export async function measure(op, inFlight, seconds) {
  let done = 0;
  const end = performance.now() + seconds * 1000;
  const start = performance.now();
  const cpu = process.cpuUsage();
  await Promise.all(
    Array.from({ length: inFlight }, async () => {
      while (performance.now() < end) {
        await op();
        done++;
      }
    }),
  );
  const used = process.cpuUsage(cpu);
  return { rate: done / ((performance.now() - start) / 1000), cpu: (used.user + used.system) / done };
}
