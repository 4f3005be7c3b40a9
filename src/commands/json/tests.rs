use super::*;
use crate::commands::recorder::{assert_wire, Recorder};

#[test]
fn builds_json_documents() {
    let r = Recorder;
    assert_wire!(
        r.json_set("j", "$", r#"{"a":1}"#, None),
        ["JSON.SET", "@j", "$", r#"{"a":1}"#]
    );
    assert_wire!(
        r.json_set("j", "$.a", "2", Some(SetCondition::IfAbsent)),
        ["JSON.SET", "@j", "$.a", "2", "NX"]
    );
    assert_wire!(
        r.json_set("j", "$.a", "2", Some(SetCondition::IfPresent)),
        ["JSON.SET", "@j", "$.a", "2", "XX"]
    );
    assert_wire!(
        r.json_get("j", &JsonFormat::default(), ["$"]),
        ["JSON.GET", "@j", "$"]
    );
    assert_wire!(
        r.json_get("j", &JsonFormat::default(), [] as [&str; 0]),
        ["JSON.GET", "@j"]
    );
    let pretty = JsonFormat::default().indent("  ").newline("\n").space(" ");
    assert_wire!(
        r.json_get("j", &pretty, ["$.a", "$.b"]),
        ["JSON.GET", "@j", "INDENT", "  ", "NEWLINE", "\n", "SPACE", " ", "$.a", "$.b"]
    );
    assert_wire!(
        r.json_get("j", &JsonFormat::default().space(" "), ["$"]),
        ["JSON.GET", "@j", "SPACE", " ", "$"]
    );
    assert_wire!(
        r.json_get_json::<Vec<i64>, _>("j", ["$.a"]),
        ["JSON.GET", "@j", "$.a"]
    );
    assert_wire!(
        r.json_mget(["a", "b"], "$.x"),
        ["JSON.MGET", "@a", "@b", "$.x"]
    );
    assert_wire!(
        r.json_merge("j", "$", r#"{"a":null}"#),
        ["JSON.MERGE", "@j", "$", r#"{"a":null}"#]
    );
    assert_wire!(r.json_del("j", "$.a"), ["JSON.DEL", "@j", "$.a"]);
    assert_wire!(r.json_forget("j", "$"), ["JSON.FORGET", "@j", "$"]);
    assert_wire!(r.json_clear("j", "$"), ["JSON.CLEAR", "@j", "$"]);
    assert_wire!(r.json_type("j", "$..a"), ["JSON.TYPE", "@j", "$..a"]);
    assert_wire!(r.json_resp("j", "$"), ["JSON.RESP", "@j", "$"]);
}

#[test]
fn builds_json_scalars_and_objects() {
    let r = Recorder;
    assert_wire!(r.json_toggle("j", "$.on"), ["JSON.TOGGLE", "@j", "$.on"]);
    assert_wire!(
        r.json_numincrby("j", "$.n", 2.5),
        ["JSON.NUMINCRBY", "@j", "$.n", "2.5"]
    );
    assert_wire!(
        r.json_nummultby("j", "$.n", -2.0),
        ["JSON.NUMMULTBY", "@j", "$.n", "-2"]
    );
    assert_wire!(
        r.json_strappend("j", "$.s", r#""!""#),
        ["JSON.STRAPPEND", "@j", "$.s", r#""!""#]
    );
    assert_wire!(r.json_strlen("j", "$.s"), ["JSON.STRLEN", "@j", "$.s"]);
    assert_wire!(r.json_objkeys("j", "$"), ["JSON.OBJKEYS", "@j", "$"]);
    assert_wire!(r.json_objlen("j", "$"), ["JSON.OBJLEN", "@j", "$"]);
}

#[test]
fn builds_json_arrays() {
    let r = Recorder;
    assert_wire!(
        r.json_arrappend("j", "$.a", ["1", r#""x""#]),
        ["JSON.ARRAPPEND", "@j", "$.a", "1", r#""x""#]
    );
    assert_wire!(
        r.json_arrinsert("j", "$.a", -1, ["0"]),
        ["JSON.ARRINSERT", "@j", "$.a", "-1", "0"]
    );
    assert_wire!(
        r.json_arrindex("j", "$.a", "3", None, None),
        ["JSON.ARRINDEX", "@j", "$.a", "3"]
    );
    assert_wire!(
        r.json_arrindex("j", "$.a", "3", Some(1), None),
        ["JSON.ARRINDEX", "@j", "$.a", "3", "1"]
    );
    assert_wire!(
        r.json_arrindex("j", "$.a", "3", Some(1), Some(4)),
        ["JSON.ARRINDEX", "@j", "$.a", "3", "1", "4"]
    );
    // A stop alone starts at the default 0.
    assert_wire!(
        r.json_arrindex("j", "$.a", "3", None, Some(4)),
        ["JSON.ARRINDEX", "@j", "$.a", "3", "0", "4"]
    );
    assert_wire!(r.json_arrlen("j", "$.a"), ["JSON.ARRLEN", "@j", "$.a"]);
    assert_wire!(
        r.json_arrpop("j", "$.a", None),
        ["JSON.ARRPOP", "@j", "$.a"]
    );
    assert_wire!(
        r.json_arrpop("j", "$.a", Some(0)),
        ["JSON.ARRPOP", "@j", "$.a", "0"]
    );
    assert_wire!(
        r.json_arrtrim("j", "$.a", 1, -1),
        ["JSON.ARRTRIM", "@j", "$.a", "1", "-1"]
    );
}
