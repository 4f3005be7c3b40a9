-- The engine's Lua glue, run once per interpreter with the real globals.
-- `holder` is private to the engine. `redis.call`/`pcall` are Rust
-- functions bound to the running command for the length of one script.
local holder, G = ...
local error, xpcall, raw_pcall, unwrap = error, xpcall, pcall, holder.unwrap

-- As in Redis 7, `pcall` hands a script the `err` string of an error
-- table (and of a command error `redis.call` raised).
local function fix(ok, ...)
  if ok then return ok, ... end
  return false, unwrap((...))
end
pcall = function(...) return fix(raw_pcall(...)) end

holder.run = function(f, a, b)
  return xpcall(function() return f(a, b) end, holder.handler)
end

local function missing_text(k)
  return "Script attempted to access nonexistent global variable '" .. tostring(k) .. "'"
end
local function missing(_, k)
  error(missing_text(k), 2)
end
local function readonly()
  error("Attempt to modify a readonly table", 2)
end

-- What a script sees as its globals: the real ones, read-only.
holder.env = setmetatable({}, { __index = G, __newindex = readonly })

-- A function library's globals: only `load_redis` while it loads, the
-- script globals once its functions run.
holder.lib_env = function(load_redis)
  local state = { loading = true }
  local env = setmetatable({}, {
    __index = function(t, k)
      local v
      if state.loading then
        if k == "redis" then v = load_redis end
      else
        v = rawget(G, k)
      end
      if v == nil then error(missing_text(k), 2) end
      return v
    end,
    __newindex = readonly,
  })
  return env, state
end

holder.register_function = function(...)
  local e = holder.register(...)
  if e then error({ err = e }) end
end

setmetatable(G, { __index = missing, __newindex = readonly })
