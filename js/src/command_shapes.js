// Each method's JavaScript shape, as data: method name -> [Redis command
// (words), argument spec, reply shape]. The grammar is command_table.js's;
// the argument and option shapes are @upstash/redis 1.39's. Method names
// with a dot ("json.get") live in a group (`redis.json.get`). This file is
// meant to be generated from the command catalogue (src/catalog/) together
// with index.d.ts; until then it is kept by hand, one line per method.
//
// `$` marks data values: what a command stores or compares against stored
// data. Those take the automatic-deserialization encoding (deserialize.js),
// so what this client writes reads back equal.

export const SHAPES = {
  // connection and server
  ping: ["ping", "?message[]", "text"],
  echo: ["echo", "message"],
  time: ["time", ""],
  dbsize: ["dbsize", ""],
  flushall: ["flushall", "?@flush"],
  flushdb: ["flushdb", "?@flush"],
  randomkey: ["randomkey", ""],

  // keys
  del: ["del", "keys..."],
  unlink: ["unlink", "keys..."],
  exists: ["exists", "keys..."],
  touch: ["touch", "keys..."],
  expire: ["expire", "key seconds ?@expireFlag"],
  pexpire: ["pexpire", "key milliseconds ?@expireFlag"],
  expireat: ["expireat", "key unix ?@expireFlag"],
  pexpireat: ["pexpireat", "key unix ?@expireFlag"],
  persist: ["persist", "key"],
  ttl: ["ttl", "key"],
  pttl: ["pttl", "key"],
  type: ["type", "key", "text"],
  rename: ["rename", "source destination"],
  renamenx: ["renamenx", "source destination"],
  keys: ["keys", "pattern"],
  scan: ["scan", "cursor ?@scan", "scan"],
  dump: ["dump", "key", "text"],

  // strings
  get: ["get", "key"],
  set: ["set", "key $value ?@set"],
  setnx: ["setnx", "key $value"],
  setex: ["setex", "key ttl $value"],
  psetex: ["psetex", "key ttl $value"],
  getset: ["getset", "key $value"],
  getdel: ["getdel", "key"],
  getex: ["getex", "key ?@getex"],
  getrange: ["getrange", "key start end"],
  setrange: ["setrange", "key offset value"],
  append: ["append", "key value"],
  strlen: ["strlen", "key"],
  incr: ["incr", "key"],
  incrby: ["incrby", "key increment"],
  incrbyfloat: ["incrbyfloat", "key increment"],
  decr: ["decr", "key"],
  decrby: ["decrby", "key decrement"],
  mget: ["mget", "keys..."],
  mset: ["mset", "{kv}"],
  msetnx: ["msetnx", "{kv}"],
  getbit: ["getbit", "key offset"],
  setbit: ["setbit", "key offset value"],
  bitcount: ["bitcount", "key @range..."],
  bitpos: ["bitpos", "key bit ?start ?end"],

  // hashes
  hset: ["hset", "key {kv}"],
  hmset: ["hmset", "key {kv}"],
  hsetnx: ["hsetnx", "key field $value"],
  hget: ["hget", "key field"],
  hmget: ["hmget", "key fields...", "hmget"],
  hgetall: ["hgetall", "key", "hash"],
  hdel: ["hdel", "key fields..."],
  hexists: ["hexists", "key field"],
  hincrby: ["hincrby", "key field increment"],
  hincrbyfloat: ["hincrbyfloat", "key field increment"],
  hkeys: ["hkeys", "key"],
  hvals: ["hvals", "key"],
  hlen: ["hlen", "key"],
  hstrlen: ["hstrlen", "key field"],
  hscan: ["hscan", "key cursor ?@scan", "scan"],

  // lists
  lpush: ["lpush", "key $elements..."],
  rpush: ["rpush", "key $elements..."],
  lpushx: ["lpushx", "key $elements..."],
  rpushx: ["rpushx", "key $elements..."],
  lpop: ["lpop", "key ?count"],
  rpop: ["rpop", "key ?count"],
  lrange: ["lrange", "key start stop"],
  llen: ["llen", "key"],
  lindex: ["lindex", "key index"],
  lset: ["lset", "key index $value"],
  lrem: ["lrem", "key count $value"],
  ltrim: ["ltrim", "key start stop"],
  linsert: ["linsert", "key direction $pivot $value"],
  lpos: ["lpos", "key $element ?@lpos"],
  lmove: ["lmove", "source destination whereFrom whereTo"],
  rpoplpush: ["rpoplpush", "source destination"],

  // sets
  sadd: ["sadd", "key $members..."],
  srem: ["srem", "key $members..."],
  smembers: ["smembers", "key"],
  sismember: ["sismember", "key $member"],
  smismember: ["smismember", "key $members[]"],
  scard: ["scard", "key"],
  spop: ["spop", "key ?count"],
  srandmember: ["srandmember", "key ?count"],
  smove: ["smove", "source destination $member"],
  sdiff: ["sdiff", "keys..."],
  sdiffstore: ["sdiffstore", "destination keys..."],
  sinter: ["sinter", "keys..."],
  sinterstore: ["sinterstore", "destination keys..."],
  sunion: ["sunion", "keys..."],
  sunionstore: ["sunionstore", "destination keys..."],
  sscan: ["sscan", "key cursor ?@scan", "scan"],

  // sorted sets
  zadd: ["zadd", "key @zadd..."],
  zscore: ["zscore", "key $member"],
  zmscore: ["zmscore", "key $members[]"],
  zrem: ["zrem", "key $members..."],
  zcard: ["zcard", "key"],
  zcount: ["zcount", "key min max"],
  zincrby: ["zincrby", "key increment $member"],
  zrange: ["zrange", "key min max ?@zrange"],
  zrank: ["zrank", "key $member"],
  zrevrank: ["zrevrank", "key $member"],
  zpopmin: ["zpopmin", "key ?count"],
  zpopmax: ["zpopmax", "key ?count"],
  zlexcount: ["zlexcount", "key min max"],
  zremrangebylex: ["zremrangebylex", "key min max"],
  zremrangebyrank: ["zremrangebyrank", "key start stop"],
  zremrangebyscore: ["zremrangebyscore", "key min max"],
  zunionstore: ["zunionstore", "destination @zcombine..."],
  zinterstore: ["zinterstore", "destination @zcombine..."],
  zunion: ["zunion", "@zcombine..."],
  zinter: ["zinter", "@zcombine..."],
  zdiffstore: ["zdiffstore", "destination numkeys keys..."],
  zscan: ["zscan", "key cursor ?@scan", "scan"],

  // HyperLogLog
  pfadd: ["pfadd", "key $elements..."],
  pfcount: ["pfcount", "keys..."],
  pfmerge: ["pfmerge", "destination sources..."],

  // pub/sub (subscribing is `redis.subscribe`, not a command)
  publish: ["publish", "channel $message"],

  // scripting
  eval: ["eval", "script #keys ?args[]"],
  evalRo: ["eval_ro", "script #keys ?args[]"],
  evalsha: ["evalsha", "sha #keys ?args[]"],
  evalshaRo: ["evalsha_ro", "sha #keys ?args[]"],
  scriptLoad: ["script load", "script", "text"],
  scriptExists: ["script exists", "hashes..."],
  scriptFlush: ["script flush", ""],

  // bitmaps, keys (more)
  bitop: ["bitop", "operation destination sources..."],
  copy: ["copy", "source destination ?@copy", "copied"],
  clientSetinfo: ["client setinfo", "attribute value"],

  // geo
  geoadd: ["geoadd", "key @geoadd..."],
  geodist: ["geodist", "key $member1 $member2 @unit"],
  geohash: ["geohash", "key $members..."],
  geopos: ["geopos", "key $members...", "geopos"],

  // hash field expiry
  hexpire: ["hexpire", "key @hexpire..."],
  hpexpire: ["hpexpire", "key @hexpire..."],
  hexpireat: ["hexpireat", "key @hexpire..."],
  hpexpireat: ["hpexpireat", "key @hexpire..."],
  httl: ["httl", "key @hfields"],
  hpttl: ["hpttl", "key @hfields"],
  hexpiretime: ["hexpiretime", "key @hfields"],
  hpexpiretime: ["hpexpiretime", "key @hfields"],
  hpersist: ["hpersist", "key @hfields"],
  hrandfield: ["hrandfield", "key @hrandfield...", "hrandfield"],

  // lists and sets (more)
  lmpop: ["lmpop", "numkeys keys[] direction ?@count"],
  sintercard: ["sintercard", "#keys ?@limit"],

  // streams
  xadd: ["xadd", "key @xadd..."],
  xlen: ["xlen", "key"],
  xdel: ["xdel", "key ids..."],
  xtrim: ["xtrim", "key @xtrim"],
  xrange: ["xrange", "key start end ?@count", "stream"],
  xrevrange: ["xrevrange", "key end start ?@count", "stream"],

  // functions
  "functions.load": ["function load", "@functionLoad"],
  "functions.delete": ["function delete", "libraryName"],
  "functions.flush": ["function flush", ""],
  "functions.call": ["fcall", "functionName #keys ?args[]"],
  "functions.callRo": ["fcall_ro", "functionName #keys ?args[]"],

  // RedisJSON (sent as is: the server needs the module)
  "json.get": ["json.get", "key @jsonGet..."],
  "json.set": ["json.set", "key path value ?@nxxx"],
  "json.mget": ["json.mget", "keys[] path"],
  "json.del": ["json.del", "key ?path"],
  "json.forget": ["json.forget", "key ?path"],
  "json.clear": ["json.clear", "key ?path"],
  "json.type": ["json.type", "key ?path"],
  "json.toggle": ["json.toggle", "key path"],
  "json.strlen": ["json.strlen", "key ?path"],
  "json.strappend": ["json.strappend", "key path value"],
  "json.objkeys": ["json.objkeys", "key ?path"],
  "json.objlen": ["json.objlen", "key ?path"],
  "json.resp": ["json.resp", "key ?path"],
  "json.arrlen": ["json.arrlen", "key ?path"],
  "json.arrappend": ["json.arrappend", "key path values..."],
  "json.arrinsert": ["json.arrinsert", "key path index values..."],
  "json.arrindex": ["json.arrindex", "key path value ?start ?stop"],
  "json.arrpop": ["json.arrpop", "key ?path ?index"],
  "json.arrtrim": ["json.arrtrim", "key ?path ?start ?stop"],
  "json.numincrby": ["json.numincrby", "key path value"],
  "json.nummultby": ["json.nummultby", "key path value"],
  "json.merge": ["json.merge", "key path value"],
};
