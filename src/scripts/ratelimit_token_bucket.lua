-- edgestash token bucket (data-compatible with @upstash/ratelimit 2.2.0).
-- KEYS[1]: hash with fields refilledAt, tokens.
-- ARGV: now_ms ("" = Redis TIME), max_tokens, interval_ms, refill_rate, rate.
-- Returns {allowed 0|1, tokens left, refilledAt, now_ms}. A denied request
-- writes nothing; the key lives until the bucket would be full again.
local now = tonumber(ARGV[1])
if not now then
  local t = redis.call("TIME")
  now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end
local max = tonumber(ARGV[2])
local interval = tonumber(ARGV[3])
local refill = tonumber(ARGV[4])
local rate = tonumber(ARGV[5])
local key = KEYS[1]
local b = redis.call("HMGET", key, "refilledAt", "tokens")
local refilledAt = tonumber(b[1])
local tokens = tonumber(b[2])
if not refilledAt or not tokens then
  refilledAt = now
  tokens = max
end
if now >= refilledAt + interval then
  local n = math.floor((now - refilledAt) / interval)
  tokens = math.min(max, tokens + n * refill)
  refilledAt = refilledAt + n * interval
end
if rate > 0 and tokens < rate then
  return {0, tokens, refilledAt, now}
end
local left = math.min(max, tokens - rate)
redis.call("HSET", key, "refilledAt", refilledAt, "tokens", left)
redis.call("PEXPIRE", key, math.max(1, math.ceil((max - left) / refill)) * interval)
return {1, left, refilledAt, now}
