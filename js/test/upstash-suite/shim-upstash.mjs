// The suite's `Redis`: @upstash/redis's own public one (the checkout's
// Node platform entry), for the baseline.
import { Redis as Target } from "@DEST@/platforms/nodejs.ts";
import { makeShim } from "./common.mjs";

export const { Redis, Pipeline, Rerouted } = makeShim(Target);
