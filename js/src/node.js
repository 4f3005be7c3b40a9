// Node 18+ entry: reads the .wasm next to the glue and instantiates it
// synchronously, so importing the package needs no top-level await.
import { readFileSync } from "node:fs";
import { initSync } from "../pkg/edgestash.js";

initSync({ module: readFileSync(new URL("../pkg/edgestash_bg.wasm", import.meta.url)) });

export { Redis, Pipeline } from "./redis.js";
