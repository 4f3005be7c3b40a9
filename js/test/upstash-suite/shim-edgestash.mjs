// The suite's `Redis`: edgestash's (its Node entry).
import { Redis as Target } from "@JS@/src/node.js";
import { makeShim } from "./common.mjs";

export const { Redis, Pipeline, Rerouted } = makeShim(Target);
