//! The npm facade's method shapes: a record's `.js(..)` string turned into
//! one entry of `js/src/commands.js` (test-only: the wasm build carries no
//! shapes).
//!
//! Grammar, space-separated (an `{...}` group is one token):
//! - `a` a parameter sent as is; `a?` sent only when given (trailing);
//! - `...a` rest parameters sent as they are; `...a[]` flattened one level
//!   (an array argument counts as its items); `...a@helper` sent as
//!   `helper(a)` returns;
//! - `a{}` an object sent as its key/value pairs;
//! - `a#` an array (default empty) sent as its length then its items;
//!   `a[]` an array (default empty) sent as its items;
//! - `{x= y!}` an options object: `x=` sends `x <value>` when set, `y!`
//!   sends the word `y` when true (the option word is the name in lower
//!   case: `withScores` is `withscores`);
//! - `-> helper` last: the reply goes through `helper`.

/// The `name: [build, parse?]` entry of `COMMANDS` for a method named
/// `method` sending `command` (lower case, space-separated words).
pub(super) fn entry(method: &str, command: &str, shape: &str) -> String {
    let (args, parse) = match shape.split_once("->") {
        Some((a, p)) => (a.trim(), Some(p.trim())),
        None => (shape.trim(), None),
    };
    let mut params = Vec::new();
    let mut sent: Vec<String> = command.split(' ').map(|w| format!("\"{w}\"")).collect();
    for token in tokens(args) {
        if let Some(opts) = token.strip_prefix('{').and_then(|t| t.strip_suffix('}')) {
            params.push("opts".to_owned());
            for item in opts.split_whitespace() {
                if let Some(name) = item.strip_suffix('=') {
                    let word = name.to_ascii_lowercase();
                    sent.push(format!(
                        "...(opts?.{name} !== undefined ? [\"{word}\", opts.{name}] : [])"
                    ));
                } else if let Some(name) = item.strip_suffix('!') {
                    let word = name.to_ascii_lowercase();
                    sent.push(format!("...(opts?.{name} ? [\"{word}\"] : [])"));
                }
            }
        } else if let Some(rest) = token.strip_prefix("...") {
            if let Some(name) = rest.strip_suffix("[]") {
                params.push(format!("...{name}"));
                sent.push(format!("...flat({name})"));
            } else if let Some((name, helper)) = rest.split_once('@') {
                params.push(format!("...{name}"));
                sent.push(format!("...{helper}({name})"));
            } else {
                params.push(format!("...{rest}"));
                sent.push(format!("...{rest}"));
            }
        } else if let Some(name) = token.strip_suffix('?') {
            params.push(name.to_owned());
            sent.push(format!("...({name} === undefined ? [] : [{name}])"));
        } else if let Some(name) = token.strip_suffix("{}") {
            params.push(name.to_owned());
            sent.push(format!("...entries({name})"));
        } else if let Some(name) = token.strip_suffix('#') {
            params.push(format!("{name} = []"));
            sent.push(format!("{name}.length"));
            sent.push(format!("...{name}"));
        } else if let Some(name) = token.strip_suffix("[]") {
            params.push(format!("{name} = []"));
            sent.push(format!("...{name}"));
        } else {
            params.push(token.to_owned());
            sent.push(token.to_owned());
        }
    }
    let build = format!("({}) => [{}]", params.join(", "), sent.join(", "));
    match parse {
        Some(p) => format!("  {method}: [{build}, {p}],"),
        None => format!("  {method}: [{build}],"),
    }
}

/// Splits on spaces, keeping `{...}` groups whole.
fn tokens(s: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = None;
    let mut depth = 0usize;
    for (i, ch) in s.char_indices() {
        match ch {
            '{' => depth += 1,
            '}' => depth = depth.saturating_sub(1),
            _ => {}
        }
        if ch == ' ' && depth == 0 {
            if let Some(st) = start.take() {
                out.push(&s[st..i]);
            }
        } else if start.is_none() {
            start = Some(i);
        }
    }
    if let Some(st) = start {
        out.push(&s[st..]);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::entry;

    #[test]
    fn shapes_become_builders() {
        assert_eq!(
            entry("get", "get", "key"),
            "  get: [(key) => [\"get\", key]],"
        );
        assert_eq!(
            entry("hgetall", "hgetall", "key -> pairsToObject"),
            "  hgetall: [(key) => [\"hgetall\", key], pairsToObject],"
        );
        assert_eq!(
            entry("eval", "eval", "script keys# args[]"),
            "  eval: [(script, keys = [], args = []) => [\"eval\", script, keys.length, ...keys, ...args]],"
        );
        assert_eq!(
            entry("scan", "scan", "cursor {match= rev!}"),
            "  scan: [(cursor, opts) => [\"scan\", cursor, ...(opts?.match !== undefined ? [\"match\", opts.match] : []), ...(opts?.rev ? [\"rev\"] : [])]],"
        );
        assert_eq!(
            entry("del", "del", "...keys[]"),
            "  del: [(...keys) => [\"del\", ...flat(keys)]],"
        );
        assert_eq!(entry("time", "time", ""), "  time: [() => [\"time\"]],");
    }
}
