use crate::mock::test_support::{engine, run};
use crate::protocol::Value;

fn sorted(v: Result<Value, String>) -> Vec<Vec<u8>> {
    let Ok(Value::Array(items)) = v else {
        panic!("not an array: {v:?}");
    };
    let mut out: Vec<Vec<u8>> = items
        .into_iter()
        .map(|i| match i {
            Value::Bytes(b) => b,
            other => panic!("not bulk: {other:?}"),
        })
        .collect();
    out.sort();
    out
}

#[crate::unit_test]
fn add_remove_and_members() {
    let e = engine();
    assert_eq!(run(&e, &["SADD", "s", "a", "b", "a"]), Ok(Value::Int(2)));
    assert_eq!(run(&e, &["SCARD", "s"]), Ok(Value::Int(2)));
    assert_eq!(
        sorted(run(&e, &["SMEMBERS", "s"])),
        vec![b"a".to_vec(), b"b".to_vec()]
    );
    assert_eq!(
        run(&e, &["SMISMEMBER", "s", "a", "z"]),
        Ok(Value::Array(vec![Value::Int(1), Value::Int(0)]))
    );
    assert_eq!(run(&e, &["SREM", "s", "a", "b", "c"]), Ok(Value::Int(2)));
    assert_eq!(run(&e, &["SCARD", "s"]), Ok(Value::Int(0)));
}

#[crate::unit_test]
fn algebra_and_store() {
    let e = engine();
    run(&e, &["SADD", "a", "1", "2", "3"]).unwrap();
    run(&e, &["SADD", "b", "2", "3", "4"]).unwrap();
    assert_eq!(
        sorted(run(&e, &["SINTER", "a", "b"])),
        vec![b"2".to_vec(), b"3".to_vec()]
    );
    assert_eq!(sorted(run(&e, &["SDIFF", "a", "b"])), vec![b"1".to_vec()]);
    assert_eq!(run(&e, &["SUNIONSTORE", "u", "a", "b"]), Ok(Value::Int(4)));
    assert_eq!(
        run(&e, &["SINTERCARD", "2", "a", "b", "LIMIT", "1"]),
        Ok(Value::Int(1))
    );
    assert_eq!(
        run(&e, &["SINTERSTORE", "u", "a", "nope"]),
        Ok(Value::Int(0))
    );
    assert_eq!(run(&e, &["SCARD", "u"]), Ok(Value::Int(0)));
    assert_eq!(
        run(&e, &["SINTERCARD", "3", "a"]),
        Err("ERR Number of keys can't be greater than number of args".to_owned())
    );
}

#[crate::unit_test]
fn pop_and_random() {
    let e = engine();
    run(&e, &["SADD", "s", "a", "b", "c", "d"]).unwrap();
    let popped = sorted(run(&e, &["SPOP", "s", "2"]));
    assert_eq!(popped.len(), 2);
    assert_eq!(run(&e, &["SCARD", "s"]), Ok(Value::Int(2)));
    assert_eq!(sorted(run(&e, &["SRANDMEMBER", "s", "-5"])).len(), 5);
    assert_eq!(sorted(run(&e, &["SRANDMEMBER", "s", "5"])).len(), 2);
    assert_eq!(
        run(&e, &["SPOP", "s", "-1"]),
        Err("ERR value is out of range, must be positive".to_owned())
    );
    assert_eq!(sorted(run(&e, &["SPOP", "s", "9"])).len(), 2);
    assert_eq!(run(&e, &["SPOP", "s"]), Ok(Value::Nil));
}

#[crate::unit_test]
fn smove_and_scan() {
    let e = engine();
    run(&e, &["SADD", "s", "a", "b"]).unwrap();
    assert_eq!(run(&e, &["SMOVE", "s", "t", "a"]), Ok(Value::Int(1)));
    assert_eq!(run(&e, &["SMOVE", "s", "t", "a"]), Ok(Value::Int(0)));
    assert_eq!(run(&e, &["SISMEMBER", "t", "a"]), Ok(Value::Int(1)));
    let Ok(Value::Array(reply)) = run(&e, &["SSCAN", "t", "0", "MATCH", "a*"]) else {
        panic!("bad scan reply");
    };
    assert_eq!(reply[0], Value::Bytes(b"0".to_vec()));
    assert_eq!(reply[1], Value::Array(vec![Value::Bytes(b"a".to_vec())]));
    assert_eq!(
        run(&e, &["SSCAN", "t", "x"]),
        Err("ERR invalid cursor".to_owned())
    );
}

#[crate::unit_test]
fn sscan_pages_cover_a_big_set() {
    let e = engine();
    for i in 0..600 {
        run(&e, &["SADD", "big", &format!("m{i}")]).unwrap();
    }
    let mut seen = std::collections::HashSet::new();
    let mut cursor = "0".to_owned();
    loop {
        let Ok(Value::Array(reply)) = run(&e, &["SSCAN", "big", &cursor, "COUNT", "50"]) else {
            panic!("bad scan reply");
        };
        let (Value::Bytes(next), Value::Array(page)) = (&reply[0], &reply[1]) else {
            panic!("bad scan shape");
        };
        assert!(page.len() <= 50);
        for m in page {
            seen.insert(format!("{m:?}"));
        }
        cursor = String::from_utf8(next.clone()).unwrap();
        if cursor == "0" {
            break;
        }
    }
    assert_eq!(seen.len(), 600);
}
