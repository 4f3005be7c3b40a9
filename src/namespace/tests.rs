//! Unit tests of the namespace: one per spec shape, escaping, refusals.

use super::*;

fn ns() -> Namespace {
    Namespace::workspace("42").unwrap()
}

/// The sent parts after the name, as strings.
fn sent(cmd: Command) -> Vec<String> {
    let scoped = ns().scope(cmd).unwrap();
    scoped
        .command
        .to_parts()
        .iter()
        .skip(1)
        .map(|p| String::from_utf8_lossy(p).into_owned())
        .collect()
}

fn line(parts: &[&str]) -> Command {
    let (name, args) = parts.split_first().unwrap();
    Command::from_parts(
        name.to_string(),
        args.iter().map(|a| a.as_bytes().to_vec()).collect(),
    )
}

fn refusal(cmd: Command) -> NamespaceRefusal {
    ns().scope(cmd).unwrap_err().namespace_refusal().unwrap()
}

#[test]
fn fixed_positions() {
    assert_eq!(sent(line(&["get", "k"])), ["ws:42:k"]);
    assert_eq!(
        sent(line(&["SET", "k", "v", "EX", "10"])),
        ["ws:42:k", "v", "EX", "10"]
    );
    assert_eq!(sent(line(&["HSET", "h", "f", "v"])), ["ws:42:h", "f", "v"]);
    assert_eq!(
        sent(line(&["XGROUP", "CREATE", "s", "g", "$"])),
        ["CREATE", "ws:42:s", "g", "$"]
    );
}

#[test]
fn all_keys_and_pairs() {
    assert_eq!(sent(line(&["DEL", "a", "b"])), ["ws:42:a", "ws:42:b"]);
    assert_eq!(
        sent(line(&["MSET", "a", "1", "b", "2"])),
        ["ws:42:a", "1", "ws:42:b", "2"]
    );
    assert_eq!(
        sent(line(&["BLPOP", "a", "b", "0"])),
        ["ws:42:a", "ws:42:b", "0"]
    );
    assert_eq!(
        sent(line(&["BITOP", "AND", "d", "a"])),
        ["AND", "ws:42:d", "ws:42:a"]
    );
    assert_eq!(sent(line(&["RENAME", "a", "b"])), ["ws:42:a", "ws:42:b"]);
    assert_eq!(
        sent(line(&["LMOVE", "a", "b", "LEFT", "RIGHT"])),
        ["ws:42:a", "ws:42:b", "LEFT", "RIGHT"]
    );
    // RedisJSON: the path is never a key; JSON.MGET's last argument is one.
    assert_eq!(
        sent(line(&["JSON.SET", "doc", "$", "{}"])),
        ["ws:42:doc", "$", "{}"]
    );
    assert_eq!(
        sent(line(&["JSON.MGET", "a", "b", "$.x"])),
        ["ws:42:a", "ws:42:b", "$.x"]
    );
    assert_eq!(
        sent(line(&["JSON.MSET", "a", "$", "1", "b", "$", "2"])),
        ["ws:42:a", "$", "1", "ws:42:b", "$", "2"]
    );
}

#[test]
fn numkeys_forms() {
    assert_eq!(
        sent(line(&[
            "ZUNIONSTORE",
            "d",
            "2",
            "a",
            "b",
            "WEIGHTS",
            "1",
            "2"
        ])),
        ["ws:42:d", "2", "ws:42:a", "ws:42:b", "WEIGHTS", "1", "2"]
    );
    assert_eq!(
        sent(line(&["LMPOP", "2", "a", "b", "LEFT"])),
        ["2", "ws:42:a", "ws:42:b", "LEFT"]
    );
    assert_eq!(
        sent(line(&["BZMPOP", "0", "1", "a", "MIN"])),
        ["0", "1", "ws:42:a", "MIN"]
    );
    for bad in ["x", "-1", "+1", "01", "3", ""] {
        assert_eq!(
            refusal(line(&["ZUNION", bad, "a", "b"])),
            NamespaceRefusal::MalformedArguments,
            "{bad}"
        );
    }
}

#[test]
fn scripts_need_registration() {
    assert_eq!(
        refusal(line(&["EVAL", "return redis.call('FLUSHALL')", "0"])),
        NamespaceRefusal::UnregisteredScript
    );
    let mut scripts = ScriptAllowList::new();
    let sha = scripts.register(b"return KEYS[1]");
    let ns = ns().with_scripts(scripts);
    let scoped = ns
        .scope(line(&["EVAL", "return KEYS[1]", "1", "k", "argv"]))
        .unwrap();
    assert_eq!(
        scoped.command.to_parts(),
        vec![&b"EVAL"[..], b"return KEYS[1]", b"1", b"ws:42:k", b"argv"]
    );
    assert!(ns.scope(line(&["EVALSHA_RO", &sha, "0"])).is_ok());
    assert!(ns
        .scope(line(&["SCRIPT", "LOAD", "return KEYS[1]"]))
        .is_ok());
    assert!(ns.scope(line(&["SCRIPT", "EXISTS", &sha])).is_ok());
    let refused = |parts: &[&str]| ns.scope(line(parts)).unwrap_err().namespace_refusal();
    assert_eq!(
        refused(&["EVALSHA", &"0".repeat(40), "0"]),
        Some(NamespaceRefusal::UnregisteredScript)
    );
    assert_eq!(
        refused(&["SCRIPT", "EXISTS", &sha, &"0".repeat(40)]),
        Some(NamespaceRefusal::UnregisteredScript)
    );
    assert_eq!(
        refused(&["SCRIPT", "LOAD", "return 2"]),
        Some(NamespaceRefusal::UnregisteredScript)
    );
    assert_eq!(
        refused(&["SCRIPT", "FLUSH"]),
        Some(NamespaceRefusal::Forbidden)
    );
    assert_eq!(
        refused(&["SCRIPT", "KILL"]),
        Some(NamespaceRefusal::Forbidden)
    );
}

#[test]
fn keyword_forms() {
    assert_eq!(
        sent(line(&[
            "XREAD", "COUNT", "2", "STREAMS", "a", "b", "0", "0"
        ])),
        ["COUNT", "2", "STREAMS", "ws:42:a", "ws:42:b", "0", "0"]
    );
    assert_eq!(
        sent(line(&[
            "XREADGROUP",
            "GROUP",
            "STREAMS",
            "c",
            "STREAMS",
            "a",
            ">"
        ])),
        ["GROUP", "STREAMS", "c", "STREAMS", "ws:42:a", ">"]
    );
    assert_eq!(
        refusal(line(&["XREAD", "STREAMS", "a", "b", "0"])),
        NamespaceRefusal::MalformedArguments
    );
    assert_eq!(
        sent(line(&[
            "GEORADIUS",
            "g",
            "0",
            "0",
            "1",
            "km",
            "STORE",
            "d",
            "STOREDIST",
            "e"
        ])),
        [
            "ws:42:g",
            "0",
            "0",
            "1",
            "km",
            "STORE",
            "ws:42:d",
            "STOREDIST",
            "ws:42:e"
        ]
    );
    assert_eq!(
        sent(line(&[
            "SORT", "l", "LIMIT", "0", "5", "ALPHA", "STORE", "d"
        ])),
        ["ws:42:l", "LIMIT", "0", "5", "ALPHA", "STORE", "ws:42:d"]
    );
    assert_eq!(
        refusal(line(&["SORT", "l", "BY", "w_*"])),
        NamespaceRefusal::ForbiddenOption
    );
    assert_eq!(
        refusal(line(&["sort_ro", "l", "get", "#"])),
        NamespaceRefusal::ForbiddenOption
    );
    assert_eq!(
        refusal(line(&["COPY", "a", "b", "db", "1"])),
        NamespaceRefusal::ForbiddenOption
    );
    assert_eq!(
        sent(line(&["COPY", "a", "b", "REPLACE"])),
        ["ws:42:a", "ws:42:b", "REPLACE"]
    );
}

#[test]
fn channels_and_patterns() {
    assert_eq!(sent(line(&["PUBLISH", "ch", "msg"])), ["ws:42:ch", "msg"]);
    assert_eq!(sent(line(&["KEYS", "*"])), ["ws:42:*"]);
    assert_eq!(sent(line(&["SCAN", "0"])), ["0", "MATCH", "ws:42:*"]);
    assert_eq!(
        sent(line(&[
            "SCAN", "7", "COUNT", "10", "MATCH", "u:*", "TYPE", "hash"
        ])),
        ["7", "COUNT", "10", "MATCH", "ws:42:u:*", "TYPE", "hash"]
    );
    assert_eq!(
        refusal(line(&["SCAN", "0", "MATCH"])),
        NamespaceRefusal::MalformedArguments
    );
    // HSCAN's MATCH filters fields, not keys: untouched.
    assert_eq!(
        sent(line(&["HSCAN", "h", "0", "MATCH", "f*"])),
        ["ws:42:h", "0", "MATCH", "f*"]
    );
    let scoped = ns().scope(line(&["SCAN", "0"])).unwrap();
    assert_eq!(scoped.command.args_slice()[2].kind, ArgKind::Pattern);
    assert_eq!(scoped.reply, ReplyKeys::Scan);
}

#[test]
fn prefix_in_patterns_is_escaped() {
    let ns = Namespace {
        pattern_prefix: pattern::escape_glob(b"t[1]*:"),
        prefix: b"t[1]*:".to_vec(),
        scripts: ScriptAllowList::new(),
    };
    let scoped = ns.scope(line(&["KEYS", "a*"])).unwrap();
    assert_eq!(scoped.command.to_parts()[1], br"t\[1\]\*:a*");
    let scoped = ns.scope(line(&["SCAN", "0"])).unwrap();
    assert_eq!(scoped.command.to_parts()[3], br"t\[1\]\*:*");
    // Keys themselves get the raw prefix.
    let scoped = ns.scope(line(&["GET", "a"])).unwrap();
    assert_eq!(scoped.command.to_parts()[1], b"t[1]*:a");
}

#[test]
fn typed_marks_are_cross_checked() {
    // A builder marking a value as key where the spec has none: a bug.
    let bad = Command::new("SET").key("k").key("v");
    assert_eq!(refusal(bad), NamespaceRefusal::KeyMarkMismatch);
    let bad = Command::new("PUBLISH").key("ch").arg("m");
    assert_eq!(refusal(bad), NamespaceRefusal::KeyMarkMismatch);
    let good = Command::new("PUBLISH").channel("ch").arg("m");
    assert!(ns().scope(good).is_ok());
    // Unmarked keys follow the spec.
    let scoped = ns().scope(Command::new("GET").arg("k")).unwrap();
    assert_eq!(scoped.command.args_slice()[0].kind, ArgKind::Key);
    assert_eq!(scoped.key_positions, vec![0]);
}

#[test]
fn refusals_are_typed_and_name_no_argument() {
    for (parts, why) in [
        (&["FLUSHALL"][..], NamespaceRefusal::Forbidden),
        (&["flushdb", "ASYNC"], NamespaceRefusal::Forbidden),
        (&["SWAPDB", "0", "1"], NamespaceRefusal::Forbidden),
        (&["SELECT", "1"], NamespaceRefusal::Forbidden),
        (&["MOVE", "s3cr3t", "1"], NamespaceRefusal::Forbidden),
        (&["RANDOMKEY"], NamespaceRefusal::Forbidden),
        (&["DBSIZE"], NamespaceRefusal::Forbidden),
        (
            &["MIGRATE", "h", "1", "s3cr3t", "0", "1"],
            NamespaceRefusal::Forbidden,
        ),
        (
            &["RESTORE", "s3cr3t", "0", "x"],
            NamespaceRefusal::Forbidden,
        ),
        (&["DUMP", "s3cr3t"], NamespaceRefusal::Forbidden),
        (&["FUNCTION", "FLUSH"], NamespaceRefusal::Forbidden),
        (&["FCALL", "f", "0"], NamespaceRefusal::Forbidden),
        (&["CONFIG", "GET", "*"], NamespaceRefusal::Forbidden),
        (&["CLIENT", "LIST"], NamespaceRefusal::Forbidden),
        (
            &["OBJECT", "ENCODING", "s3cr3t"],
            NamespaceRefusal::Forbidden,
        ),
        (&["INFO"], NamespaceRefusal::Forbidden),
        (&["XGROUP", "HELP"], NamespaceRefusal::UnknownCommand),
        (&["XGROUP"], NamespaceRefusal::MalformedArguments),
        (
            &["NOSUCHCOMMAND", "secret"],
            NamespaceRefusal::UnknownCommand,
        ),
        (&["SUBSCRIBE", "c"], NamespaceRefusal::Forbidden),
    ] {
        let err = ns().scope(line(parts)).unwrap_err();
        assert_eq!(err.namespace_refusal(), Some(why), "{parts:?}");
        let shown = err.to_string();
        // Short words (`1`, `f`) occur in any text; the values are longer.
        for arg in parts[1..].iter().filter(|a| a.len() > 3) {
            assert!(!shown.contains(arg), "{shown} shows {arg}");
        }
    }
}

#[test]
fn workspace_ids_are_validated() {
    assert_eq!(ns().prefix(), b"ws:42:");
    let err = Namespace::workspace("a:b").unwrap_err();
    assert_eq!(
        err.namespace_refusal(),
        Some(NamespaceRefusal::InvalidWorkspaceId)
    );
    assert_eq!(err.kind_label(), "namespace");
}

#[test]
fn replies_are_unscoped() {
    let ns = ns();
    let scoped = ns.scope(line(&["KEYS", "*"])).unwrap();
    let reply = Value::Array(vec![Value::bytes("ws:42:a"), Value::bytes("ws:420:b")]);
    assert_eq!(
        ns.unscope_reply(scoped.reply, reply),
        Value::Array(vec![Value::bytes("a")])
    );
    let scoped = ns.scope(line(&["BRPOP", "a", "1"])).unwrap();
    assert_eq!(scoped.reply, ReplyKeys::FirstElement);
    let get = ns.scope(line(&["GET", "a"])).unwrap();
    assert_eq!(
        ns.unscope_reply(get.reply, Value::bytes("ws:42:x")),
        Value::bytes("ws:42:x")
    );
}
