// The suite's view of a target `Redis`: built from the HttpClient the
// suite's test-utils create (its base URL and bearer token) plus options,
// so @upstash/redis's tests drive only the target's public API.

const TOKEN = /^Bearer\s+/;

/** A public config from a Requester (HttpClient) or a config, plus options. */
function configOf(source, options) {
  const extra = {};
  for (const [k, v] of Object.entries(options ?? {})) if (v !== undefined && k !== "deserialize") extra[k] = v;
  if (source && typeof source === "object" && "request" in source) {
    const token = String(source.headers?.authorization ?? "").replace(TOKEN, "");
    return { url: source.baseUrl, token, ...extra };
  }
  return { ...(source ?? {}), ...extra };
}

export function makeShim(Target) {
  const cache = new WeakMap();
  /** One target client per (HttpClient, options), as one `Redis` would be. */
  const clientFor = (requester, options) => {
    let byOptions = cache.get(requester);
    if (!byOptions) cache.set(requester, (byOptions = new Map()));
    const key = JSON.stringify(options ?? {});
    let redis = byOptions.get(key);
    if (!redis) byOptions.set(key, (redis = new Target(configOf(requester, options))));
    return redis;
  };

  class Redis {
    constructor(source, options) {
      return new Target(configOf(source, options));
    }
    static fromEnv(options) {
      return Target.fromEnv(options);
    }
  }

  class Pipeline {
    constructor({ client, multiExec, commandOptions } = {}) {
      const redis = new Target(configOf(client, commandOptions));
      return multiExec ? redis.multi() : redis.pipeline();
    }
  }

  /** A command class whose exec(client) calls the matching public method. */
  class Rerouted {
    constructor(args, options) {
      if (!Array.isArray(args)) {
        options = args;
        args = [];
      }
      this.args = args;
      this.options = options;
    }
    exec(client) {
      const { route, className } = this.constructor;
      if (!route) return Promise.reject(new Error(`${className}: @upstash/redis has no public method for it`));
      const opts = this.options?.automaticDeserialization === undefined ? undefined : { automaticDeserialization: this.options.automaticDeserialization };
      const redis = clientFor(client, opts);
      let owner = redis;
      for (const p of route.path.slice(0, -1)) owner = owner[p];
      const fn = owner?.[route.path.at(-1)];
      if (typeof fn !== "function") return Promise.reject(new Error(`${className}: the target has no ${route.path.join(".")}`));
      try {
        return route.spread ? fn.apply(owner, this.args) : fn.call(owner, this.args.length ? this.args : undefined);
      } catch (e) {
        return Promise.reject(e);
      }
    }
  }

  return { Redis, Pipeline, Rerouted };
}
