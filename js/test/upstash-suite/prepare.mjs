// Prepares a temporary copy of @upstash/redis's `packages/redis` whose
// tests run against another `Redis`: only import lines change.
//
//   node prepare.mjs <checkout> <dest> <target>    target: edgestash | upstash
//
// - Public-API tests (pkg/*.test.ts): `Redis` (from ./redis or
//   ../platforms/nodejs) and `Pipeline` (from ./pipeline) come from
//   shim/<target>.mjs, which builds the target's public `Redis` from the
//   suite's HttpClient (its URL and token) and options.
// - Command tests (pkg/commands/**/*.test.ts): each imported `XCommand`
//   class is replaced by one whose `exec(client)` calls the public method
//   that @upstash/redis's own `Redis` maps to that class (read from the
//   checkout's pkg/redis.ts), e.g. `new GetCommand([k]).exec(c)` becomes
//   `redis.get(k)`. Other imported names keep their original module.
//
// The checkout itself is only read.
import { cpSync, mkdirSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";

const HERE = dirname(fileURLToPath(import.meta.url));
const JS = join(HERE, "..", "..");

/** Test files the public-API figure counts, and why others are left out. */
export const PUBLIC_FILES = [
  "pkg/redis.test.ts",
  "pkg/pipeline.test.ts",
  "pkg/auto-pipeline.test.ts",
  "pkg/script.test.ts",
  "pkg/scriptRo.test.ts",
  "pkg/read-your-writes.test.ts",
];
// Left out: pkg/http.test.ts (drives HttpClient itself and fake servers),
// pkg/test-utils.test.ts (the suite's helpers), pkg/functions.integration
// (counted with the command tests: it uses `redis.functions`).

/** `{ ClassName: { path: ["json", "get"], spread: true } }` from pkg/redis.ts. */
export function publicRoutes(redisTs) {
  const lines = redisTs.split("\n");
  const routes = {};
  let group = null;
  let member = null;
  let spread = true;
  for (const line of lines) {
    const g = /^ {2}get (json|functions)\(\) \{/.exec(line);
    if (g) {
      group = g[1];
      continue;
    }
    if (group && /^ {2}\}\s*$/.test(line)) group = null;
    const top = /^ {2}([a-zA-Z]\w*)\s*(?:[=:<(])/.exec(line);
    const inner = /^ {6}([a-zA-Z]\w*):/.exec(line);
    if (group && inner) {
      member = [group, inner[1]];
      spread = !/\(args\??:/.test(line);
    } else if (!group && top) {
      member = [top[1]];
      spread = !/=\s*(<[^>]*>)?\s*\(args\??:/.test(line);
    }
    for (const m of line.matchAll(/new (\w+Command)(?:<[^>]*>)?\(/g)) {
      if (member && !routes[m[1]]) routes[m[1]] = { path: member, spread };
    }
  }
  return routes;
}

function walk(dir, out = []) {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) walk(p, out);
    else out.push(p);
  }
  return out;
}

/** The import statements of `src` (possibly multi-line), with their spans. */
function imports(src) {
  return [...src.matchAll(/^import\s+(type\s+)?\{([^}]*)\}\s+from\s+"([^"]+)";?/gm)];
}

function rewritePublic(src, shim) {
  return src.replace(/^import\s+\{([^}]*)\}\s+from\s+"(\.\/redis|\.\.\/platforms\/nodejs|\.\/pipeline)";?/gm, (_all, names) => `import {${names}} from "${shim}";`);
}

function rewriteCommands(src, shim, routes) {
  let out = src;
  for (const m of imports(src)) {
    if (m[1] || !m[3].startsWith(".") || m[3].includes("test-utils")) continue;
    const names = m[2].split(",").map((s) => s.trim()).filter(Boolean);
    const rerouted = names.filter((n) => /^\w+Command$/.test(n) && !n.startsWith("type "));
    if (rerouted.length === 0) continue;
    const kept = names.filter((n) => !rerouted.includes(n));
    let text = `import { ${rerouted.join(", ")} } from "${shim}";`;
    if (kept.length) text += `\nimport { ${kept.join(", ")} } from "${m[3]}";`;
    out = out.replace(m[0], text);
  }
  // A rerouted class must exist in the shim even when @upstash/redis has no
  // public method for it (its tests then fail alike for both targets).
  for (const m of imports(out)) {
    if (!m[3].endsWith("commands.mjs")) continue;
    for (const n of m[2].split(",").map((s) => s.trim())) if (n && !routes[n]) routes[n] = null;
  }
  return out;
}

function commandShim(routes, target) {
  const lines = [`import { Rerouted } from "./${target}.mjs";`];
  for (const [name, route] of Object.entries(routes).sort()) {
    lines.push(`export class ${name} extends Rerouted { static route = ${JSON.stringify(route)}; static className = "${name}"; }`);
  }
  return lines.join("\n") + "\n";
}

export function prepare(checkout, dest, target) {
  const pkg = join(checkout, "packages", "redis");
  rmSync(dest, { recursive: true, force: true });
  mkdirSync(dest, { recursive: true });
  cpSync(pkg, dest, { recursive: true, filter: (p) => !p.includes("node_modules") });
  symlinkSync(join(JS, "node_modules"), join(dest, "node_modules"));
  const shimDir = join(dest, "shim");
  mkdirSync(shimDir);
  const common = readFileSync(join(HERE, "shim-common.mjs"), "utf8");
  writeFileSync(join(shimDir, "common.mjs"), common);
  // EDGESTASH_JS: another copy of js/ (e.g. an older facade, for a baseline).
  const targetSrc = readFileSync(join(HERE, `shim-${target}.mjs`), "utf8").replaceAll("@JS@", process.env.EDGESTASH_JS ?? JS).replaceAll("@DEST@", dest);
  writeFileSync(join(shimDir, `${target}.mjs`), targetSrc);
  const routes = publicRoutes(readFileSync(join(pkg, "pkg", "redis.ts"), "utf8"));
  const tests = walk(join(dest, "pkg")).filter((p) => p.endsWith(".test.ts"));
  const rewritten = [];
  for (const file of tests) {
    const rel = relative(dest, file);
    const src = readFileSync(file, "utf8");
    let out = src;
    if (PUBLIC_FILES.includes(rel)) out = rewritePublic(src, join(shimDir, `${target}.mjs`));
    else if (rel.startsWith("pkg/commands/") || rel === "pkg/functions.integration.test.ts") {
      out = rewriteCommands(rewritePublic(src, join(shimDir, `${target}.mjs`)), join(shimDir, "commands.mjs"), routes);
    }
    if (out !== src) {
      writeFileSync(file, out);
      rewritten.push(rel);
    }
  }
  writeFileSync(join(shimDir, "commands.mjs"), commandShim(routes, target));
  return { routes, rewritten };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [checkout, dest, target] = process.argv.slice(2);
  const { rewritten } = prepare(checkout, dest, target);
  console.log(`${rewritten.length} test files rewritten into ${dest}`);
}
