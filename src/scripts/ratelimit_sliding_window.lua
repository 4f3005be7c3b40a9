-- edgestash sliding window (data-compatible with @upstash/ratelimit 2.2.0).
-- KEYS: counters of consecutive buckets, the first being bucket ARGV[2];
-- the current bucket's predecessor must be among them.
-- ARGV: now_ms ("" = Redis TIME), first_bucket, window_ms, limit, rate.
-- Returns {allowed 0|1, used (weighted previous + current), bucket, now_ms,
-- previous counter}.
-- A denied request writes nothing.
local now = tonumber(ARGV[1])
if not now then
  local t = redis.call("TIME")
  now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end
local window = tonumber(ARGV[3])
local limit = tonumber(ARGV[4])
local rate = tonumber(ARGV[5])
local bucket = math.floor(now / window)
local i = bucket - tonumber(ARGV[2]) + 1
if i < 2 or i > #KEYS then
  return redis.error_reply("ERR edgestash ratelimit: clock skew of more than one window")
end
local key = KEYS[i]
local cur = tonumber(redis.call("GET", key) or "0")
local prev = tonumber(redis.call("GET", KEYS[i - 1]) or "0")
local weighted = math.floor(prev * (window - now % window) / window)
if rate > 0 and weighted + cur + rate > limit then
  return {0, weighted + cur, bucket, now, prev}
end
local after = cur + rate
if after < 0 then
  after = 0
end
if after ~= cur then
  redis.call("INCRBY", key, after - cur)
end
if redis.call("PTTL", key) == -1 then
  redis.call("PEXPIRE", key, window * 2 + 1000)
end
return {1, weighted + after, bucket, now, prev}
