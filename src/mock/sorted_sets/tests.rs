use crate::mock::test_support::{b, engine, run};
use crate::protocol::Value;

#[crate::unit_test]
fn zadd_options_and_errors() {
    let e = engine();
    assert_eq!(
        run(&e, &["ZADD", "z", "1", "a", "2", "b"]),
        Ok(Value::Int(2))
    );
    assert_eq!(
        run(&e, &["ZADD", "z", "CH", "5", "a", "3", "c"]),
        Ok(Value::Int(2))
    );
    assert_eq!(run(&e, &["ZADD", "z", "GT", "4", "a"]), Ok(Value::Int(0)));
    assert_eq!(run(&e, &["ZSCORE", "z", "a"]), Ok(b("5")));
    assert_eq!(
        run(&e, &["ZADD", "z", "XX", "INCR", "1.1", "a"]),
        Ok(b("6.0999999999999996"))
    );
    assert_eq!(
        run(&e, &["ZADD", "z", "NX", "INCR", "1", "a"]),
        Ok(Value::Nil)
    );
    assert_eq!(
        run(&e, &["ZADD", "z", "NX", "XX", "1", "a"]),
        Err("ERR XX and NX options at the same time are not compatible".to_owned())
    );
    assert_eq!(
        run(&e, &["ZADD", "z", "GT", "LT", "1", "a"]),
        Err("ERR GT, LT, and/or NX options at the same time are not compatible".to_owned())
    );
    assert_eq!(
        run(&e, &["ZADD", "z", "INCR", "1", "a", "2", "b"]),
        Err("ERR INCR option supports a single increment-element pair".to_owned())
    );
    assert_eq!(
        run(&e, &["ZADD", "z", "x", "a"]),
        Err("ERR value is not a valid float".to_owned())
    );
    run(&e, &["ZADD", "z", "inf", "i"]).unwrap();
    assert_eq!(
        run(&e, &["ZINCRBY", "z", "-inf", "i"]),
        Err("ERR resulting score is not a number (NaN)".to_owned())
    );
    assert_eq!(
        run(&e, &["ZADD", "nokey", "XX", "1", "a"]),
        Ok(Value::Int(0))
    );
    assert_eq!(run(&e, &["ZCARD", "nokey"]), Ok(Value::Int(0)));
}

#[crate::unit_test]
fn scores_print_like_redis_7_0() {
    let e = engine();
    run(
        &e,
        &["ZADD", "z", "1.1", "a", "0.1", "b", "1e20", "c", "-0", "d"],
    )
    .unwrap();
    assert_eq!(run(&e, &["ZSCORE", "z", "a"]), Ok(b("1.1000000000000001")));
    assert_eq!(
        run(&e, &["ZINCRBY", "z", "0.2", "b"]),
        Ok(b("0.30000000000000004"))
    );
    assert_eq!(run(&e, &["ZSCORE", "z", "c"]), Ok(b("1e+20")));
    assert_eq!(run(&e, &["ZSCORE", "z", "d"]), Ok(b("0")));
}

#[crate::unit_test]
fn ranks_pops_and_mpop() {
    let e = engine();
    run(&e, &["ZADD", "z", "1", "a", "1", "b", "2", "c"]).unwrap();
    assert_eq!(run(&e, &["ZRANK", "z", "b"]), Ok(Value::Int(1)));
    assert_eq!(run(&e, &["ZREVRANK", "z", "b"]), Ok(Value::Int(1)));
    assert_eq!(run(&e, &["ZCOUNT", "z", "(1", "+inf"]), Ok(Value::Int(1)));
    assert_eq!(
        run(&e, &["ZPOPMAX", "z"]),
        Ok(Value::Array(vec![b("c"), b("2")]))
    );
    assert_eq!(
        run(&e, &["ZMPOP", "2", "none", "z", "MIN", "COUNT", "5"]),
        Ok(Value::Array(vec![
            b("z"),
            Value::Array(vec![
                Value::Array(vec![b("a"), b("1")]),
                Value::Array(vec![b("b"), b("1")]),
            ]),
        ]))
    );
    assert_eq!(run(&e, &["ZMPOP", "1", "z", "MIN"]), Ok(Value::Nil));
}

#[crate::unit_test]
fn random_members_and_scan() {
    let e = engine();
    run(&e, &["ZADD", "z", "1", "a", "2", "b", "3", "c"]).unwrap();
    let Ok(Value::Array(v)) = run(&e, &["ZRANDMEMBER", "z", "-7", "WITHSCORES"]) else {
        panic!("not an array");
    };
    assert_eq!(v.len(), 14);
    let Ok(Value::Array(v)) = run(&e, &["ZRANDMEMBER", "z", "7"]) else {
        panic!("not an array");
    };
    assert_eq!(v.len(), 3);
    assert_eq!(
        run(&e, &["ZSCAN", "z", "0", "MATCH", "b"]),
        Ok(Value::Array(vec![
            b("0"),
            Value::Array(vec![b("b"), b("2")])
        ]))
    );
}
