-- edgestash fixed window (data-compatible with @upstash/ratelimit 2.2.0).
-- KEYS: counters of consecutive buckets, the first being bucket ARGV[2].
-- ARGV: now_ms ("" = Redis TIME), first_bucket, window_ms, limit, rate.
-- Returns {allowed 0|1, used, bucket, now_ms}. A denied request writes nothing.
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
if i < 1 or i > #KEYS then
  return redis.error_reply("ERR edgestash ratelimit: clock skew of more than one window")
end
local key = KEYS[i]
local used = tonumber(redis.call("GET", key) or "0")
if rate > 0 and used + rate > limit then
  return {0, used, bucket, now}
end
local after = used + rate
if after < 0 then
  after = 0
end
if after ~= used then
  redis.call("INCRBY", key, after - used)
end
if redis.call("PTTL", key) == -1 then
  redis.call("PEXPIRE", key, window)
end
return {1, after, bucket, now}
