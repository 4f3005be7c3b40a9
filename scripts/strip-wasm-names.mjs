// Drops the "name" custom section of a .wasm file in place (wrangler.toml's
// [build] runs it after worker-build, which always keeps that section).
//
//   node scripts/strip-wasm-names.mjs build/index_bg.wasm
//
// Why: the section holds every function's name, ~210 KB raw / ~60 KB gzip
// of the Worker bundle, which must stay under the 400 KB gzip budget
// (BENCHMARKS.md). The cost: a panic's stack trace in the Worker's logs
// shows wasm-function[N] instead of names. To keep the names (debugging),
// set EDGESTASH_WASM_NAMES=keep. No dependencies: the file is rewritten
// section by section, nothing else changes. Why not binaryen's
// `wasm-opt --strip-debug`: it re-encodes the whole module, which came out
// 1.8 KB gzip larger (BENCHMARKS.md, "npm package and Worker size cuts").
import { readFileSync, writeFileSync } from "node:fs";

const file = process.argv[2];
if (!file) {
  console.error("usage: node scripts/strip-wasm-names.mjs <file.wasm>");
  process.exit(2);
}
if (process.env.EDGESTASH_WASM_NAMES === "keep") process.exit(0);
const buf = readFileSync(file);
if (buf.readUInt32LE(0) !== 0x6d736100) {
  console.error(`${file} is not a wasm module`);
  process.exit(1);
}
let p = 8;
const leb = () => {
  let result = 0;
  let shift = 0;
  let byte;
  do {
    byte = buf[p++];
    result += (byte & 0x7f) * 2 ** shift;
    shift += 7;
  } while (byte & 0x80);
  return result;
};
const kept = [buf.subarray(0, 8)];
let dropped = 0;
while (p < buf.length) {
  const start = p;
  const id = buf[p++];
  const size = leb();
  const body = p;
  p = body + size;
  if (id === 0) {
    const save = p;
    p = body;
    const length = leb();
    const name = buf.subarray(p, p + length).toString();
    p = save;
    if (name === "name") {
      dropped += p - start;
      continue;
    }
  }
  kept.push(buf.subarray(start, p));
}
writeFileSync(file, Buffer.concat(kept));
console.log(`strip-wasm-names: ${file}: dropped ${dropped} bytes of function names`);
