use crate::mock::keys::tests::{b, engine, run};
use crate::protocol::Value;

const EXPIRE_ERR: &str = "ERR invalid expire time in 'set' command";

#[crate::unit_test]
fn set_options() {
    let (e, clock) = engine();
    assert_eq!(run(&e, "SET a 1 NX"), Ok(Value::Okay));
    assert_eq!(run(&e, "SET a 2 NX"), Ok(Value::Nil));
    assert_eq!(run(&e, "SET b 2 XX"), Ok(Value::Nil));
    assert_eq!(run(&e, "SET a 3 XX GET"), Ok(b("1")));
    assert_eq!(run(&e, "SET a 4 NX GET"), Ok(b("3")));
    assert_eq!(run(&e, "SET c 4 NX GET"), Ok(Value::Nil));
    assert_eq!(run(&e, "GET c"), Ok(b("4")));
    assert_eq!(run(&e, "SET a 5 EX 10"), Ok(Value::Okay));
    assert_eq!(run(&e, "PTTL a"), Ok(Value::Int(10_000)));
    assert_eq!(run(&e, "SET a 6 KEEPTTL"), Ok(Value::Okay));
    assert_eq!(run(&e, "PTTL a"), Ok(Value::Int(10_000)));
    assert_eq!(run(&e, "SET a 7"), Ok(Value::Okay));
    assert_eq!(run(&e, "PTTL a"), Ok(Value::Int(-1)));
    assert_eq!(run(&e, "SET a 8 PX 5 PX 7"), Ok(Value::Okay));
    assert_eq!(run(&e, "PTTL a"), Ok(Value::Int(7)));
    clock.advance(7);
    assert_eq!(run(&e, "GET a"), Ok(Value::Nil));
    assert_eq!(run(&e, "SET a 1 EXAT 1"), Ok(Value::Okay));
    assert_eq!(run(&e, "EXISTS a"), Ok(Value::Int(0)));
}

#[crate::unit_test]
fn set_errors() {
    let (e, _) = engine();
    for bad in [
        "SET a 1 NX XX",
        "SET a 1 EX 10 PX 10",
        "SET a 1 EX 10 KEEPTTL",
        "SET a 1 KEEPTTL EX 10",
        "SET a 1 EX",
        "SET a 1 PERSIST",
        "SET a 1 FOO",
    ] {
        assert_eq!(run(&e, bad), Err("ERR syntax error".into()), "{bad}");
    }
    assert_eq!(run(&e, "SET a 1 EX 0"), Err(EXPIRE_ERR.into()));
    assert_eq!(run(&e, "SET a 1 PX -5"), Err(EXPIRE_ERR.into()));
    assert_eq!(
        run(&e, "SET a 1 EX 9223372036854775"),
        Err(EXPIRE_ERR.into())
    );
    assert_eq!(
        run(&e, "SET a 1 EX x"),
        Err("ERR value is not an integer or out of range".into())
    );
    assert_eq!(
        run(&e, "SETEX a 0 v"),
        Err("ERR invalid expire time in 'setex' command".into())
    );
}

#[crate::unit_test]
fn wrong_type_everywhere() {
    let (e, _) = engine();
    e.lock().insert(
        b"l".to_vec(),
        crate::mock::db::Data::List(std::collections::VecDeque::from([b"x".to_vec()])),
        None,
    );
    let wrongtype = Err(crate::mock::ctx::WRONGTYPE.to_owned());
    for cmd in [
        "GET l",
        "SET l v GET",
        "GETSET l v",
        "GETDEL l",
        "GETEX l",
        "APPEND l x",
        "STRLEN l",
        "GETRANGE l 0 1",
        "SETRANGE l 0 x",
        "SETRANGE l 0 ",
        "INCR l",
        "INCRBYFLOAT l 1",
        "SETBIT l 0 1",
        "GETBIT l 0",
        "BITCOUNT l",
        "PFADD l a",
        "PFCOUNT l",
    ] {
        assert_eq!(run(&e, cmd), wrongtype, "{cmd}");
    }
    assert_eq!(
        run(&e, "MGET l"),
        Ok(Value::Array(vec![Value::Nil])),
        "MGET never fails"
    );
    assert_eq!(run(&e, "SET l v"), Ok(Value::Okay), "SET replaces any type");
    assert_eq!(run(&e, "TYPE l"), Ok(b("string")));
}

#[crate::unit_test]
fn getex_getdel_getset() {
    let (e, _) = engine();
    run(&e, "SET a 1").unwrap();
    assert_eq!(run(&e, "GETEX a EX 10"), Ok(b("1")));
    assert_eq!(run(&e, "TTL a"), Ok(Value::Int(10)));
    assert_eq!(run(&e, "GETEX a PERSIST"), Ok(b("1")));
    assert_eq!(run(&e, "TTL a"), Ok(Value::Int(-1)));
    assert_eq!(run(&e, "GETEX a"), Ok(b("1")));
    assert_eq!(run(&e, "GETEX a NX"), Err("ERR syntax error".into()));
    assert_eq!(
        run(&e, "GETEX a EX 1 PERSIST"),
        Err("ERR syntax error".into())
    );
    assert_eq!(
        run(&e, "GETEX a EX 0"),
        Err("ERR invalid expire time in 'getex' command".into())
    );
    assert_eq!(run(&e, "GETEX nope EX 5"), Ok(Value::Nil));
    // Redis checks the key before the time: a missing key wins.
    assert_eq!(run(&e, "GETEX nope EX 0"), Ok(Value::Nil));
    assert_eq!(run(&e, "GETEX nope EX x"), Ok(Value::Nil));
    assert_eq!(run(&e, "GETEX a PXAT 1"), Ok(b("1")));
    assert_eq!(run(&e, "EXISTS a"), Ok(Value::Int(0)));
    assert_eq!(run(&e, "GETSET a 2"), Ok(Value::Nil));
    assert_eq!(run(&e, "GETSET a 3"), Ok(b("2")));
    assert_eq!(run(&e, "GETDEL a"), Ok(b("3")));
    assert_eq!(run(&e, "GETDEL a"), Ok(Value::Nil));
}

#[crate::unit_test]
fn multi_key() {
    let (e, _) = engine();
    assert_eq!(run(&e, "MSET a 1 b 2"), Ok(Value::Okay));
    assert_eq!(
        run(&e, "MSET a 1 b"),
        Err("ERR wrong number of arguments for 'mset' command".into())
    );
    assert_eq!(
        run(&e, "MGET a x b"),
        Ok(Value::Array(vec![b("1"), Value::Nil, b("2")]))
    );
    assert_eq!(run(&e, "MSETNX a 1 c 3"), Ok(Value::Int(0)));
    assert_eq!(run(&e, "MSETNX c 3 d 4"), Ok(Value::Int(1)));
    assert_eq!(run(&e, "SETNX c 5"), Ok(Value::Int(0)));
    assert_eq!(run(&e, "SETNX e 5"), Ok(Value::Int(1)));
}

#[crate::unit_test]
fn ranges_and_append() {
    let (e, _) = engine();
    run(&e, "SET s Hello").unwrap();
    run(&e, "PEXPIRE s 1000").unwrap();
    assert_eq!(run(&e, "APPEND s World"), Ok(Value::Int(10)));
    assert_eq!(run(&e, "PTTL s"), Ok(Value::Int(1000)), "APPEND keeps TTL");
    assert_eq!(run(&e, "STRLEN s"), Ok(Value::Int(10)));
    assert_eq!(run(&e, "GETRANGE s 0 4"), Ok(b("Hello")));
    assert_eq!(run(&e, "GETRANGE s -5 -1"), Ok(b("World")));
    assert_eq!(run(&e, "GETRANGE s -1 -5"), Ok(b("")));
    assert_eq!(run(&e, "GETRANGE s 5 100"), Ok(b("World")));
    assert_eq!(run(&e, "GETRANGE nope 0 -1"), Ok(b("")));
    assert_eq!(run(&e, "SETRANGE s 5 Redis"), Ok(Value::Int(10)));
    assert_eq!(
        run(&e, "PTTL s"),
        Ok(Value::Int(1000)),
        "SETRANGE keeps TTL"
    );
    assert_eq!(run(&e, "GET s"), Ok(b("HelloRedis")));
    assert_eq!(run(&e, "SETRANGE n 3 x"), Ok(Value::Int(4)));
    assert_eq!(run(&e, "GET n"), Ok(Value::Bytes(b"\0\0\0x".to_vec())));
    assert_eq!(run(&e, "SETRANGE m 3 "), Ok(Value::Int(0)));
    assert_eq!(run(&e, "EXISTS m"), Ok(Value::Int(0)));
    assert_eq!(
        run(&e, "SETRANGE s -1 x"),
        Err("ERR offset is out of range".into())
    );
    assert_eq!(
        run(&e, "SETRANGE s 536870911 ab"),
        Err("ERR string exceeds maximum allowed size (proto-max-bulk-len)".into())
    );
}
