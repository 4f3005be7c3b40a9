//! Un-prefixing replies: key names come back to a workspace without its
//! prefix, and KEYS/SCAN never list a name outside the workspace.

use super::key_specs::ReplyKeys;
use crate::protocol::Value;

/// Strips `prefix` from the key names in `value`, per `shape`.
pub(crate) fn unprefix(prefix: &[u8], shape: ReplyKeys, value: Value) -> Value {
    match (shape, value) {
        (ReplyKeys::None, v) => v,
        (ReplyKeys::KeyList, Value::Array(keys)) => Value::Array(filter_keys(prefix, keys)),
        (ReplyKeys::Scan, Value::Array(parts)) => {
            let mut parts = parts.into_iter();
            match (parts.next(), parts.next(), parts.next()) {
                (Some(cursor), Some(Value::Array(keys)), None) => {
                    Value::Array(vec![cursor, Value::Array(filter_keys(prefix, keys))])
                }
                // Not a SCAN reply shape: pass it through only when it holds no
                // key names (it cannot be un-prefixed safely otherwise).
                (a, b, c) => Value::Array(a.into_iter().chain(b).chain(c).collect()),
            }
        }
        (ReplyKeys::FirstElement, Value::Array(mut items)) => {
            if let Some(first) = items.first_mut() {
                strip_in_place(prefix, first);
            }
            Value::Array(items)
        }
        (ReplyKeys::StreamPairs, Value::Array(mut pairs)) => {
            for pair in &mut pairs {
                if let Value::Array(items) = pair {
                    if let Some(first) = items.first_mut() {
                        strip_in_place(prefix, first);
                    }
                }
            }
            Value::Array(pairs)
        }
        (_, other) => other,
    }
}

/// Keeps the names inside the namespace, without the prefix.
fn filter_keys(prefix: &[u8], keys: Vec<Value>) -> Vec<Value> {
    keys.into_iter()
        .filter_map(|k| match k {
            Value::Bytes(b) => b
                .strip_prefix(prefix)
                .map(|rest| Value::Bytes(rest.to_vec())),
            _ => None,
        })
        .collect()
}

fn strip_in_place(prefix: &[u8], value: &mut Value) {
    if let Value::Bytes(b) = value {
        if b.starts_with(prefix) {
            b.drain(..prefix.len());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn b(s: &str) -> Value {
        Value::bytes(s)
    }

    #[test]
    fn key_lists_are_filtered_and_stripped() {
        let v = Value::Array(vec![b("ws:1:a"), b("ws:2:b"), b("ws:1:"), Value::Int(3)]);
        assert_eq!(
            unprefix(b"ws:1:", ReplyKeys::KeyList, v),
            Value::Array(vec![b("a"), b("")])
        );
    }

    #[test]
    fn scan_keeps_the_cursor() {
        let v = Value::Array(vec![b("17"), Value::Array(vec![b("ws:1:a"), b("other")])]);
        assert_eq!(
            unprefix(b"ws:1:", ReplyKeys::Scan, v),
            Value::Array(vec![b("17"), Value::Array(vec![b("a")])])
        );
    }

    #[test]
    fn pops_and_stream_reads_lose_the_prefix() {
        let pop = Value::Array(vec![b("ws:1:list"), Value::Array(vec![b("x")])]);
        assert_eq!(
            unprefix(b"ws:1:", ReplyKeys::FirstElement, pop),
            Value::Array(vec![b("list"), Value::Array(vec![b("x")])])
        );
        assert_eq!(
            unprefix(b"ws:1:", ReplyKeys::FirstElement, Value::Nil),
            Value::Nil
        );
        let read = Value::Array(vec![
            Value::Array(vec![b("ws:1:s1"), Value::Array(vec![])]),
            Value::Array(vec![b("ws:1:s2"), Value::Array(vec![])]),
        ]);
        assert_eq!(
            unprefix(b"ws:1:", ReplyKeys::StreamPairs, read),
            Value::Array(vec![
                Value::Array(vec![b("s1"), Value::Array(vec![])]),
                Value::Array(vec![b("s2"), Value::Array(vec![])]),
            ])
        );
    }
}
