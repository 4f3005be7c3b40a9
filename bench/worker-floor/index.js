// The floor for bench/worker-cpu.sh: a Worker that does nothing, so its
// per-request workerd CPU is workerd's own HTTP handling under wrangler dev.
export default {
  fetch() {
    return new Response("ok");
  },
};
