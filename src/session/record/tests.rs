//! The hand-written visitors against the derive they replace, on valid,
//! odd and broken records.

use super::*;
use serde::de::DeserializeOwned;

/// What `Record` and `Meta` were: `#[derive(Deserialize)]`.
#[derive(serde::Deserialize, Debug, PartialEq)]
struct DerivedRecord<T> {
    user: Option<String>,
    created_ms: u64,
    expires_ms: u64,
    data: T,
}

#[derive(serde::Deserialize, Debug, PartialEq)]
struct DerivedMeta {
    user: Option<String>,
}

/// A payload type with its own fields, to see `data` decoded in place.
#[derive(serde::Deserialize, Debug, PartialEq)]
struct Cart {
    items: Vec<u32>,
}

const INPUTS: &[&str] = &[
    r#"{"user":"ann","created_ms":1,"expires_ms":2,"data":{"items":[1,2]}}"#,
    r#"{"data":{"items":[]},"expires_ms":2,"created_ms":1,"user":null}"#,
    r#"{"created_ms":1,"expires_ms":2,"data":{"items":[3]}}"#,
    r#" { "user" : "b" , "created_ms" : 0 , "expires_ms" : 18446744073709551615 , "data" : null } "#,
    r#"{"user":"ann","created_ms":1,"expires_ms":2,"data":{"items":[1]},"extra":[1,{"a":2}]}"#,
    r#"{"user":"ann","created_ms":1,"expires_ms":2}"#,
    r#"{"user":"ann","created_ms":1,"data":5}"#,
    r#"{"user":"ann","expires_ms":1,"data":5}"#,
    r#"{"user":5,"created_ms":1,"expires_ms":2,"data":5}"#,
    r#"{"user":["a"],"created_ms":1,"expires_ms":2,"data":5}"#,
    r#"{"user":"a","created_ms":1.0,"expires_ms":2,"data":5}"#,
    r#"{"user":"a","created_ms":1e3,"expires_ms":2,"data":5}"#,
    r#"{"user":"a","created_ms":-1,"expires_ms":2,"data":5}"#,
    r#"{"user":"a","created_ms":-0,"expires_ms":2,"data":5}"#,
    r#"{"user":"a","created_ms":18446744073709551616,"expires_ms":2,"data":5}"#,
    r#"{"user":"a","created_ms":"1","expires_ms":2,"data":5}"#,
    r#"{"user":"a","created_ms":true,"expires_ms":2,"data":5}"#,
    r#"{"user":"a","created_ms":null,"expires_ms":2,"data":5}"#,
    r#"{"user":"a","user":"b","created_ms":1,"expires_ms":2,"data":5}"#,
    r#"{"user":"a","created_ms":1,"created_ms":1,"expires_ms":2,"data":5}"#,
    r#"{"user":"a","created_ms":1,"expires_ms":2,"data":5,"data":6}"#,
    r#"{"created_ms":1,"expires_ms":2,"data":5,"user":null,"user":null}"#,
    r#"["ann",1,2,{"items":[1]}]"#,
    r#"[null,1,2,5]"#,
    r#"["ann",1,2]"#,
    r#"["ann",1,2,5,6]"#,
    r#"["ann"]"#,
    r#"[null]"#,
    r#"["ann",7]"#,
    r#"[]"#,
    r#"[1]"#,
    r#"{}"#,
    r#"{"user":"ann"}"#,
    r#"null"#,
    r#"true"#,
    r#"1"#,
    r#"-1"#,
    r#"1.5"#,
    r#""record""#,
    r#""#,
    r#"{"user":"ann","created_ms":1,"expires_ms":2,"data":5} x"#,
    r#"{"user":"ann","created_ms":1,"expires_ms":2,"data":5,}"#,
    r#"{"user":"ann" "created_ms":1}"#,
    r#"{"user":"\u00e9\ud83d\ude00","created_ms":1,"expires_ms":2,"data":"x"}"#,
    r#"{"user":"ann","created_ms":1,"expires_ms":2,"data":{"items":[1,"x"]}}"#,
    r#"{"user":"ann","created_ms":1,"expires_ms":2,"data":{"items":[1],"items":[2]}}"#,
];

fn same_record<T>(json: &str)
where
    T: DeserializeOwned + PartialEq + fmt::Debug,
{
    let ours = serde_json::from_str::<Record<T>>(json)
        .ok()
        .map(|r| (r.user, r.created_ms, r.expires_ms, r.data));
    let derived = serde_json::from_str::<DerivedRecord<T>>(json)
        .ok()
        .map(|r| (r.user, r.created_ms, r.expires_ms, r.data));
    assert_eq!(ours, derived, "{json}");
}

#[crate::unit_test]
fn records_decode_as_the_derive_did() {
    for json in INPUTS {
        same_record::<Value>(json);
        same_record::<Option<Cart>>(json);
        same_record::<Cart>(json);
        same_record::<Option<u8>>(json);
        same_record::<String>(json);
    }
}

#[crate::unit_test]
fn metas_decode_as_the_derive_did() {
    for json in INPUTS {
        let ours = serde_json::from_str::<Meta>(json).ok().map(|m| m.user);
        let derived = serde_json::from_str::<DerivedMeta>(json)
            .ok()
            .map(|m| m.user);
        assert_eq!(ours, derived, "{json}");
    }
}

#[crate::unit_test]
fn records_round_trip() {
    let record = Record {
        user: Some("ann".to_owned()),
        created_ms: 1,
        expires_ms: u64::MAX,
        data: serde_json::json!({"a": [1, 2.5, "x"]}),
    };
    let bytes = serde_json::to_vec(&record).unwrap();
    let back: Record<Value> = serde_json::from_slice(&bytes).unwrap();
    assert_eq!(back.user, record.user);
    assert_eq!(back.created_ms, 1);
    assert_eq!(back.expires_ms, u64::MAX);
    assert_eq!(back.data, record.data);
}
