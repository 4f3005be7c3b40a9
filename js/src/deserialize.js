// `automaticDeserialization`, as @upstash/redis does it, without its defects.
//
// Read side (`parseReply`): every string in a reply that parses as JSON
// becomes that JSON value, as @upstash/redis's parseResponse does: `"8"`
// reads as 8, `'{"a":1}'` as an object, `"OK"` stays "OK". A number whose
// text would change by parsing (`"1.0"`, integers beyond 2^53) stays the
// string it was. Unlike @upstash/redis, an integer beyond 2^53 INSIDE a
// JSON object or array keeps every digit too: it becomes its decimal string
// (or a BigInt with `bigint: true`), never a rounded number. Bytes
// (`encoding: "bytes"`) are never parsed.
//
// Write side (`encodeValue`), the reversible encoding decision: a value
// argument (what `set`, `hset`, `lpush`, `sadd`, `zadd`... store, never a
// key, field name or option) that is a string the read side would turn
// into a non-number (`"true"`, `"null"`, `'{"a":1}'`, `"[1]"`, `'"x"'`)
// is stored as its JSON string literal (`"\"true\""`), which the read side
// turns back into exactly that string, as does @upstash/redis. Numeric
// strings (`"8"`, `"-1.5"`) are stored as they are, because Redis does
// arithmetic on them (INCR, HINCRBY, INCRBYFLOAT...) and code written for
// @upstash/redis relies on `set(k, "0")` then `incr(k)`: they read back as
// numbers, exactly as with @upstash/redis. Every other string is stored as
// is (most strings: they do not parse as JSON), numbers and booleans as
// their text, objects as their JSON text. With
// `automaticDeserialization: false` neither side changes anything: strings
// are stored and returned raw.

/** Characters a JSON text may start with, after whitespace. */
const JSON_START = /^[\s]*[[{"0-9tfn-]/;
/** A run of 16+ digits: an integer that may not fit a double exactly. */
const LONG_DIGITS = /\d{16,}/;
const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

/**
 * Parses `text` as JSON keeping integers beyond 2^53 exact (as decimal
 * strings, or BigInts with `bigint`); throws when it is not JSON.
 */
function parseJson(text, bigint) {
  if (!LONG_DIGITS.test(text)) return JSON.parse(text);
  // Quote every integer token beyond 2^53 outside strings, marked so the
  // reviver can tell it from a string the text already held.
  const mark = uniqueMark(text);
  let out = "";
  let i = 0;
  let marked = false;
  while (i < text.length) {
    const c = text[i];
    if (c === '"') {
      const end = stringEnd(text, i);
      out += text.slice(i, end);
      i = end;
    } else if (c === "-" || (c >= "0" && c <= "9")) {
      let j = i + 1;
      while (j < text.length && /[0-9.eE+-]/.test(text[j])) j++;
      const token = text.slice(i, j);
      if (/^-?\d+$/.test(token) && (BigInt(token) > MAX_SAFE || BigInt(token) < -MAX_SAFE)) {
        out += `"${mark}${token}"`;
        marked = true;
      } else {
        out += token;
      }
      i = j;
    } else {
      out += c;
      i++;
    }
  }
  if (!marked) return JSON.parse(text);
  return JSON.parse(out, (_k, v) =>
    typeof v === "string" && v.startsWith(mark) ? (bigint ? BigInt(v.slice(mark.length)) : v.slice(mark.length)) : v,
  );
}

/** Index just past the JSON string starting at `start` (a `"`). */
function stringEnd(text, start) {
  let i = start + 1;
  while (i < text.length) {
    if (text[i] === "\\") i += 2;
    else if (text[i] === '"') return i + 1;
    else i++;
  }
  return i;
}

/**
 * A marker that occurs nowhere in `text`: a private-use character (valid
 * unescaped inside a JSON string) and random digits, so a string of the
 * text cannot be mistaken for a quoted integer.
 */
function uniqueMark(text) {
  let mark;
  do mark = `\uE000${Math.random().toString(36).slice(2)}:`;
  while (text.includes(mark));
  return mark;
}

/**
 * One string as @upstash/redis's parseResponse reads it: its JSON value,
 * or itself when it is not JSON or a number whose text would change.
 */
export function parseString(s, bigint) {
  if (!JSON_START.test(s)) return s;
  let parsed;
  try {
    parsed = parseJson(s, bigint);
  } catch {
    return s;
  }
  if (typeof parsed === "number" && String(parsed) !== s) return s;
  return parsed;
}

/** A reply with every string parsed as `parseString` does, recursively. */
export function parseReply(value, bigint) {
  if (typeof value === "string") return parseString(value, bigint);
  if (Array.isArray(value)) {
    const out = new Array(value.length);
    for (let i = 0; i < value.length; i++) out[i] = parseReply(value[i], bigint);
    return out;
  }
  return value;
}

/**
 * A value argument as stored with automatic deserialization on: see the
 * file comment. Non-strings are left to the caller's usual conversion.
 */
export function encodeValue(value) {
  if (typeof value !== "string" || !JSON_START.test(value)) return value;
  const read = parseString(value, false);
  return read === value || typeof read === "number" ? value : JSON.stringify(value);
}
