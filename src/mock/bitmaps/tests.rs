//! SETBIT, GETBIT, BITCOUNT, BITPOS and BITOP, checked against redis-server 7.0.15.

use crate::mock::ctx::WRONGTYPE;
use crate::mock::keys::tests::{engine, run};
use crate::protocol::Value;

#[crate::unit_test]
fn set_and_get_bits() {
    let (e, _) = engine();
    assert_eq!(run(&e, "SETBIT k 7 1"), Ok(Value::Int(0)));
    assert_eq!(run(&e, "SETBIT k 7 1"), Ok(Value::Int(1)));
    assert_eq!(run(&e, "GET k"), Ok(Value::Bytes(vec![1])));
    assert_eq!(run(&e, "GETBIT k 7"), Ok(Value::Int(1)));
    assert_eq!(run(&e, "GETBIT k 100"), Ok(Value::Int(0)));
    assert_eq!(run(&e, "SETBIT k 7 0"), Ok(Value::Int(1)));
    assert_eq!(
        run(&e, "SETBIT k 7 2"),
        Err("ERR bit is not an integer or out of range".into())
    );
    assert_eq!(
        run(&e, "SETBIT k 4294967296 1"),
        Err("ERR bit offset is not an integer or out of range".into())
    );
    assert_eq!(
        run(&e, "GETBIT k -1"),
        Err("ERR bit offset is not an integer or out of range".into())
    );
}

#[crate::unit_test]
fn counts() {
    let (e, _) = engine();
    run(&e, "SET k foobar").unwrap();
    assert_eq!(run(&e, "BITCOUNT k"), Ok(Value::Int(26)));
    assert_eq!(run(&e, "BITCOUNT k 0 0"), Ok(Value::Int(4)));
    assert_eq!(run(&e, "BITCOUNT k 1 1"), Ok(Value::Int(6)));
    assert_eq!(run(&e, "BITCOUNT k 1 1 BYTE"), Ok(Value::Int(6)));
    assert_eq!(run(&e, "BITCOUNT k 5 30 BIT"), Ok(Value::Int(17)));
    assert_eq!(run(&e, "BITCOUNT k -1 -2 foo"), Ok(Value::Int(0)));
    assert_eq!(
        run(&e, "BITCOUNT k 0 1 foo"),
        Err("ERR syntax error".into())
    );
    assert_eq!(run(&e, "BITCOUNT k 0"), Err("ERR syntax error".into()));
    assert_eq!(run(&e, "BITCOUNT nope 0"), Ok(Value::Int(0)));
}

/// Runs a command whose words may hold any bytes.
fn raw(e: &crate::mock::Engine, parts: &[&[u8]]) -> Result<Value, String> {
    e.execute(&parts.iter().map(|p| p.to_vec()).collect::<Vec<_>>())
}

fn int(n: i64) -> Result<Value, String> {
    Ok(Value::Int(n))
}

fn err(text: &str) -> Result<Value, String> {
    Err(text.to_owned())
}

#[crate::unit_test]
fn bitpos_as_redis_7() {
    let (e, _) = engine();
    run(&e, "SET s foobar").unwrap();
    raw(&e, &[b"SET", b"ones", b"\xff\xff\xff"]).unwrap();
    raw(&e, &[b"SET", b"zeros", b"\x00\x00"]).unwrap();
    run(&e, "SET e ").unwrap();
    run(&e, "RPUSH l a").unwrap();
    // Checked one by one against redis-server 7.0.15.
    for (line, want) in [
        ("BITPOS s 1", int(1)),
        ("BITPOS s 0", int(0)),
        ("BITPOS s 1 -1", int(41)),
        ("BITPOS s 0 5 30 BIT", int(7)),
        ("BITPOS s 1 7 15 bit", int(9)),
        ("BITPOS s 0 -3 -1 bit", int(45)),
        ("BITPOS s 1 2 1", int(-1)),
        ("BITPOS s 1 100", int(-1)),
        ("BITPOS s 0 100", int(-1)),
        ("BITPOS s 1 -100 -90", int(1)),
        // All ones: bit 0 is just past the end unless an end is given.
        ("BITPOS ones 0", int(24)),
        ("BITPOS ones 0 1", int(24)),
        ("BITPOS ones 0 0 -1", int(-1)),
        ("BITPOS ones 0 1 1 byte", int(-1)),
        ("BITPOS ones 0 0 23 BIT", int(-1)),
        ("BITPOS ones 0 3 5 bit", int(-1)),
        ("BITPOS ones 1 1", int(8)),
        ("BITPOS zeros 1", int(-1)),
        ("BITPOS zeros 0 1", int(8)),
        ("BITPOS zeros 1 0 -1 bit", int(-1)),
        // An empty string holds no bit at all; a missing key endless zeros.
        ("BITPOS e 0", int(-1)),
        ("BITPOS e 0 0 -1", int(-1)),
        ("BITPOS nokey 0", int(0)),
        ("BITPOS nokey 1 x y z w", int(-1)),
        // Errors: the bit first, then the type, then the range.
        (
            "BITPOS nokey 2",
            err("ERR The bit argument must be 1 or 0."),
        ),
        (
            "BITPOS s x",
            err("ERR value is not an integer or out of range"),
        ),
        ("BITPOS l 1 x", err(WRONGTYPE)),
        (
            "BITPOS s 1 x",
            err("ERR value is not an integer or out of range"),
        ),
        ("BITPOS s 1 0 x bogus", err("ERR syntax error")),
        (
            "BITPOS s 0 8 bit",
            err("ERR value is not an integer or out of range"),
        ),
        ("BITPOS s 1 0 1 BIT extra", err("ERR syntax error")),
        (
            "BITPOS s",
            err("ERR wrong number of arguments for 'bitpos' command"),
        ),
    ] {
        assert_eq!(run(&e, line), want, "{line}");
    }
}

#[crate::unit_test]
fn bitop_as_redis_7() {
    let (e, _) = engine();
    run(&e, "SET s foobar").unwrap();
    raw(&e, &[b"SET", b"ones", b"\xff\xff\xff"]).unwrap();
    run(&e, "RPUSH l a").unwrap();
    let get = |key: &str| run(&e, &format!("GET {key}"));
    assert_eq!(run(&e, "BITOP AND d s ones"), int(6));
    assert_eq!(get("d"), Ok(Value::Bytes(b"foo\0\0\0".to_vec())));
    assert_eq!(run(&e, "BITOP or d s ones"), int(6));
    assert_eq!(get("d"), Ok(Value::Bytes(b"\xff\xff\xffbar".to_vec())));
    assert_eq!(run(&e, "BITOP XOR d ones s nokey"), int(6));
    assert_eq!(get("d"), Ok(Value::Bytes(b"\x99\x90\x90bar".to_vec())));
    assert_eq!(run(&e, "BITOP NOT d ones"), int(3));
    assert_eq!(get("d"), Ok(Value::Bytes(vec![0; 3])));
    assert_eq!(run(&e, "BITOP AND d ones s nokey"), int(6));
    assert_eq!(get("d"), Ok(Value::Bytes(vec![0; 6])));
    // An empty result deletes the destination, whatever it held.
    assert_eq!(run(&e, "BITOP NOT d nokey"), int(0));
    assert_eq!(run(&e, "EXISTS d"), int(0));
    // The destination may hold any type, and loses its TTL.
    run(&e, "RPUSH d2 a").unwrap();
    assert_eq!(run(&e, "BITOP OR d2 s"), int(6));
    assert_eq!(get("d2"), Ok(Value::Bytes(b"foobar".to_vec())));
    run(&e, "EXPIRE d2 100").unwrap();
    assert_eq!(run(&e, "BITOP OR d2 s"), int(6));
    assert_eq!(run(&e, "TTL d2"), int(-1));
    for (line, want) in [
        (
            "BITOP NOT d s ones",
            err("ERR BITOP NOT must be called with a single source key."),
        ),
        ("BITOP NOT d l", err(WRONGTYPE)),
        ("BITOP AND d s l", err(WRONGTYPE)),
        ("BITOP bogus d l", err("ERR syntax error")),
        // Redis 8.2's operations are Redis 7.0's syntax error.
        ("BITOP DIFF d s ones", err("ERR syntax error")),
        ("BITOP DIFF1 d s ones", err("ERR syntax error")),
        ("BITOP ANDOR d s ones", err("ERR syntax error")),
        ("BITOP ONE d s", err("ERR syntax error")),
        (
            "BITOP NOT d",
            err("ERR wrong number of arguments for 'bitop' command"),
        ),
    ] {
        assert_eq!(run(&e, line), want, "{line}");
    }
    assert_eq!(run(&e, "EXISTS d"), int(0));
}
