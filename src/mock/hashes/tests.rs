use crate::mock::test_support::{b, engine, run};
use crate::protocol::Value;

fn sorted(v: Value) -> Vec<Value> {
    let Value::Array(mut items) = v else {
        panic!("not an array: {v:?}")
    };
    items.sort_by_key(|i| match i {
        Value::Bytes(b) => b.clone(),
        other => format!("{other:?}").into_bytes(),
    });
    items
}

const WRONG: &str = "WRONGTYPE Operation against a key holding the wrong kind of value";

#[crate::unit_test]
fn set_get_and_delete() {
    let e = engine();
    assert_eq!(
        run(&e, &["HSET", "h", "a", "1", "b", "2"]),
        Ok(Value::Int(2))
    );
    assert_eq!(
        run(&e, &["HSET", "h", "a", "9", "c", "3"]),
        Ok(Value::Int(1))
    );
    assert_eq!(run(&e, &["HMSET", "h", "d", "4"]), Ok(Value::Okay));
    assert_eq!(run(&e, &["HGET", "h", "a"]), Ok(b("9")));
    assert_eq!(run(&e, &["HGET", "h", "zz"]), Ok(Value::Nil));
    assert_eq!(
        run(&e, &["HMGET", "h", "a", "zz", "b"]),
        Ok(Value::Array(vec![b("9"), Value::Nil, b("2")]))
    );
    assert_eq!(run(&e, &["HSETNX", "h", "a", "x"]), Ok(Value::Int(0)));
    assert_eq!(run(&e, &["HSETNX", "h", "e", "x"]), Ok(Value::Int(1)));
    assert_eq!(run(&e, &["HLEN", "h"]), Ok(Value::Int(5)));
    assert_eq!(run(&e, &["HSTRLEN", "h", "e"]), Ok(Value::Int(1)));
    assert_eq!(run(&e, &["HEXISTS", "h", "e"]), Ok(Value::Int(1)));
    assert_eq!(
        run(&e, &["HDEL", "h", "a", "a", "zz", "b"]),
        Ok(Value::Int(2))
    );
    assert_eq!(
        sorted(run(&e, &["HKEYS", "h"]).unwrap()),
        vec![b("c"), b("d"), b("e")]
    );
    assert_eq!(run(&e, &["HDEL", "h", "c", "d", "e"]), Ok(Value::Int(3)));
    assert_eq!(run(&e, &["HLEN", "h"]), Ok(Value::Int(0)));
    assert_eq!(run(&e, &["HGETALL", "h"]), Ok(Value::Array(vec![])));
}

#[crate::unit_test]
fn arity_and_type_errors() {
    let e = engine();
    assert_eq!(
        run(&e, &["HSET", "h", "a", "1", "b"]),
        Err("ERR wrong number of arguments for 'hset' command".into())
    );
    assert_eq!(
        run(&e, &["HMSET", "h", "a"]),
        Err("ERR wrong number of arguments for 'hmset' command".into())
    );
    run(&e, &["SET", "s", "x"]).unwrap();
    for cmd in [
        &["HGET", "s", "a"][..],
        &["HSET", "s", "a", "1"],
        &["HLEN", "s"],
        &["HGETALL", "s"],
        &["HDEL", "s", "a"],
        &["HRANDFIELD", "s"],
        &["HSCAN", "s", "0"],
        &["HINCRBY", "s", "a", "1"],
    ] {
        assert_eq!(run(&e, cmd), Err(WRONG.into()), "{cmd:?}");
    }
}

#[crate::unit_test]
fn increments() {
    let e = engine();
    assert_eq!(run(&e, &["HINCRBY", "h", "n", "5"]), Ok(Value::Int(5)));
    assert_eq!(run(&e, &["HINCRBY", "h", "n", "-7"]), Ok(Value::Int(-2)));
    assert_eq!(
        run(&e, &["HINCRBY", "h", "n", "1.5"]),
        Err("ERR value is not an integer or out of range".into())
    );
    run(&e, &["HSET", "h", "s", "abc", "big", "9223372036854775807"]).unwrap();
    assert_eq!(
        run(&e, &["HINCRBY", "h", "s", "1"]),
        Err("ERR hash value is not an integer".into())
    );
    assert_eq!(
        run(&e, &["HINCRBY", "h", "big", "1"]),
        Err("ERR increment or decrement would overflow".into())
    );
    assert_eq!(run(&e, &["HINCRBYFLOAT", "h", "f", "0.1"]), Ok(b("0.1")));
    assert_eq!(run(&e, &["HINCRBYFLOAT", "h", "f", "0.2"]), Ok(b("0.3")));
    assert_eq!(
        run(&e, &["HINCRBYFLOAT", "h", "g", "1e20"]),
        Ok(b("100000000000000000000"))
    );
    assert_eq!(
        run(&e, &["HINCRBYFLOAT", "h", "big", "1"]),
        Ok(b("9223372036854775808"))
    );
    assert_eq!(
        run(&e, &["HINCRBYFLOAT", "h", "s", "1"]),
        Err("ERR hash value is not a float".into())
    );
    assert_eq!(
        run(&e, &["HINCRBYFLOAT", "h", "f", "inf"]),
        Err("ERR value is NaN or Infinity".into())
    );
    assert_eq!(
        run(&e, &["HINCRBYFLOAT", "h", "f", "x"]),
        Err("ERR value is not a valid float".into())
    );
    run(&e, &["HSET", "h", "i", "inf"]).unwrap();
    assert_eq!(
        run(&e, &["HINCRBYFLOAT", "h", "i", "1"]),
        Err("ERR increment would produce NaN or Infinity".into())
    );
}

#[crate::unit_test]
fn randfield_shapes() {
    let e = engine();
    assert_eq!(run(&e, &["HRANDFIELD", "h"]), Ok(Value::Nil));
    assert_eq!(run(&e, &["HRANDFIELD", "h", "3"]), Ok(Value::Array(vec![])));
    run(&e, &["HSET", "h", "a", "1", "b", "2", "c", "3"]).unwrap();
    let one = run(&e, &["HRANDFIELD", "h"]).unwrap();
    assert!([b("a"), b("b"), b("c")].contains(&one));
    assert_eq!(run(&e, &["HRANDFIELD", "h", "0"]), Ok(Value::Array(vec![])));
    assert_eq!(
        sorted(run(&e, &["HRANDFIELD", "h", "10"]).unwrap()),
        vec![b("a"), b("b"), b("c")]
    );
    let two = sorted(run(&e, &["HRANDFIELD", "h", "2"]).unwrap());
    assert_eq!(two.len(), 2);
    assert_ne!(two[0], two[1]);
    let Value::Array(many) = run(&e, &["HRANDFIELD", "h", "-7", "WITHVALUES"]).unwrap() else {
        panic!()
    };
    assert_eq!(many.len(), 14);
    for pair in many.chunks(2) {
        let expected = match &pair[0] {
            Value::Bytes(f) if f == b"a" => b("1"),
            Value::Bytes(f) if f == b"b" => b("2"),
            _ => b("3"),
        };
        assert_eq!(pair[1], expected);
    }
    assert_eq!(
        run(&e, &["HRANDFIELD", "h", "1", "WITHVALUE"]),
        Err("ERR syntax error".into())
    );
    assert_eq!(
        run(&e, &["HRANDFIELD", "h", "-9223372036854775808"]),
        Err("ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807".into())
    );
    assert_eq!(
        run(
            &e,
            &["HRANDFIELD", "h", "4611686018427387904", "WITHVALUES"]
        ),
        Err("ERR value is out of range".into())
    );
}

#[crate::unit_test]
fn hscan_full_iteration_returns_every_field() {
    let e = engine();
    let mut expected = Vec::new();
    for i in 0..300 {
        let f = format!("field:{i}");
        run(&e, &["HSET", "big", &f, "v"]).unwrap();
        expected.push(f);
    }
    let mut seen = std::collections::HashSet::new();
    let mut cursor = "0".to_owned();
    let mut rounds = 0;
    loop {
        let Value::Array(reply) = run(&e, &["HSCAN", "big", &cursor, "COUNT", "7"]).unwrap() else {
            panic!()
        };
        let [Value::Bytes(next), Value::Array(items)] = &reply[..] else {
            panic!()
        };
        for pair in items.chunks(2) {
            if let Value::Bytes(f) = &pair[0] {
                seen.insert(String::from_utf8(f.clone()).unwrap());
            }
        }
        cursor = String::from_utf8(next.clone()).unwrap();
        rounds += 1;
        if cursor == "0" {
            break;
        }
    }
    assert!(rounds > 10);
    assert_eq!(seen.len(), expected.len());
    let Value::Array(reply) = run(
        &e,
        &["HSCAN", "big", "0", "MATCH", "field:1?", "COUNT", "1000"],
    )
    .unwrap() else {
        panic!()
    };
    let Value::Array(items) = &reply[1] else {
        panic!()
    };
    assert_eq!(items.len(), 20);
}

#[crate::unit_test]
fn hscan_small_hash_and_errors() {
    let e = engine();
    assert_eq!(
        run(&e, &["HSCAN", "nokey", "0", "COUNT", "0"]),
        Ok(Value::Array(vec![b("0"), Value::Array(vec![])]))
    );
    assert_eq!(
        run(&e, &["HSCAN", "nokey", "x"]),
        Err("ERR invalid cursor".into())
    );
    run(&e, &["HSET", "h", "a", "1", "b", "2"]).unwrap();
    assert_eq!(
        run(&e, &["HSCAN", "h", "0", "COUNT", "0"]),
        Err("ERR syntax error".into())
    );
    assert_eq!(
        run(&e, &["HSCAN", "h", "0", "COUNT", "x"]),
        Err("ERR value is not an integer or out of range".into())
    );
    assert_eq!(
        run(&e, &["HSCAN", "h", "0", "MATCH", "a"]),
        Ok(Value::Array(vec![
            b("0"),
            Value::Array(vec![b("a"), b("1")])
        ]))
    );
    let Value::Array(reply) = run(&e, &["HSCAN", "h", "-1", "COUNT", "1"]).unwrap() else {
        panic!()
    };
    assert_eq!(reply[0], b("0"));
    assert_eq!(sorted(reply[1].clone()).len(), 4);
}
