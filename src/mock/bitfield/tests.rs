//! BITFIELD and BITFIELD_RO, each reply checked against redis-server 7.0.15.

use crate::mock::ctx::WRONGTYPE;
use crate::mock::keys::tests::{engine, run};
use crate::protocol::Value;

const BAD_TYPE: &str =
    "ERR Invalid bitfield type. Use something like i16 u8. Note that u64 is not supported but i64 is.";
const BAD_OFFSET: &str = "ERR bit offset is not an integer or out of range";

/// An array of integers, `None` for nil.
fn ints(items: &[Option<i64>]) -> Result<Value, String> {
    Ok(Value::Array(
        items
            .iter()
            .map(|i| i.map_or(Value::Nil, Value::Int))
            .collect(),
    ))
}

#[crate::unit_test]
fn get_set_incrby_and_overflow() {
    let (e, _) = engine();
    for (line, want) in [
        (
            "BITFIELD k SET i8 0 100 GET i8 0 INCRBY i8 0 100 GET u8 0",
            ints(&[Some(0), Some(100), Some(-56), Some(200)]),
        ),
        (
            "BITFIELD k OVERFLOW SAT INCRBY i8 0 100 INCRBY i8 0 -1000 OVERFLOW FAIL INCRBY i8 0 -1 SET u8 0 300 GET u8 0",
            ints(&[Some(44), Some(-128), None, None, Some(128)]),
        ),
        (
            "BITFIELD k OVERFLOW SAT SET u4 0 -1 GET u4 0 OVERFLOW WRAP SET u4 0 -1 SET i4 #1 9 GET i4 #1 GET u2 #3",
            ints(&[Some(8), Some(15), Some(15), Some(0), Some(-7), Some(1)]),
        ),
        (
            "BITFIELD k INCRBY i64 0 9223372036854775807 INCRBY i64 0 1 OVERFLOW SAT INCRBY i64 0 -1 INCRBY i64 0 9223372036854775807 INCRBY i64 0 -9223372036854775808 INCRBY i64 0 -9223372036854775808",
            ints(&[
                Some(8718968878589280255),
                Some(8718968878589280256),
                Some(8718968878589280255),
                Some(i64::MAX),
                Some(-1),
                Some(i64::MIN),
            ]),
        ),
        (
            "BITFIELD k INCRBY u63 0 9223372036854775807 INCRBY u63 0 5 OVERFLOW SAT INCRBY u63 0 -9223372036854775808 GET u63 0",
            ints(&[Some(4611686018427387903), Some(4611686018427387908), Some(0), Some(0)]),
        ),
        (
            "BITFIELD k SET i1 100 1 GET i1 100 GET u1 100 INCRBY i1 100 1 INCRBY u1 100 1",
            ints(&[Some(0), Some(-1), Some(1), Some(0), Some(1)]),
        ),
        (
            "BITFIELD k get u8 0 Overflow Sat incrby u8 0 999",
            ints(&[Some(0), Some(255)]),
        ),
    ] {
        assert_eq!(run(&e, line), want, "{line}");
    }
    // A string's text is its bytes.
    run(&e, "SET n 12").unwrap();
    assert_eq!(
        run(&e, "BITFIELD n GET u8 0 GET i16 #0"),
        ints(&[Some(49), Some(12594)])
    );
}

#[crate::unit_test]
fn writes_create_and_grow_reads_do_not() {
    let (e, _) = engine();
    // A failed write still creates the key, as long as the farthest write.
    assert_eq!(
        run(&e, "BITFIELD f OVERFLOW FAIL INCRBY u8 0 300"),
        ints(&[None])
    );
    assert_eq!(run(&e, "STRLEN f"), Ok(Value::Int(1)));
    assert_eq!(run(&e, "BITFIELD f SET u8 #2 1"), ints(&[Some(0)]));
    assert_eq!(run(&e, "STRLEN f"), Ok(Value::Int(3)));
    // GETs past the end read zeros and create nothing.
    assert_eq!(run(&e, "BITFIELD g GET u8 100"), ints(&[Some(0)]));
    assert_eq!(run(&e, "BITFIELD g"), ints(&[]));
    assert_eq!(run(&e, "BITFIELD_RO g GET i64 #3"), ints(&[Some(0)]));
    assert_eq!(run(&e, "EXISTS g"), Ok(Value::Int(0)));
    // Writes keep the TTL.
    run(&e, "EXPIRE f 100").unwrap();
    run(&e, "BITFIELD f INCRBY u8 0 1").unwrap();
    assert_eq!(run(&e, "TTL f"), Ok(Value::Int(100)));
}

#[crate::unit_test]
fn errors_in_redis_order() {
    let (e, _) = engine();
    run(&e, "RPUSH l a").unwrap();
    let err = |text: &str| Err::<Value, String>(text.to_owned());
    for (line, want) in [
        ("BITFIELD l", err(WRONGTYPE)),
        ("BITFIELD l GET u8 0", err(WRONGTYPE)),
        ("BITFIELD l SET u8 0 1", err(WRONGTYPE)),
        ("BITFIELD l SET u8 x 1", err(BAD_OFFSET)),
        ("BITFIELD l GET u64 0", err(BAD_TYPE)),
        ("BITFIELD l GET U8 0", err(BAD_TYPE)),
        ("BITFIELD l GET i65 0", err(BAD_TYPE)),
        ("BITFIELD l GET i0 0", err(BAD_TYPE)),
        ("BITFIELD l GET i08 0", err(BAD_TYPE)),
        ("BITFIELD l GET u 0", err(BAD_TYPE)),
        (
            "BITFIELD l SET u8 0 x",
            err("ERR value is not an integer or out of range"),
        ),
        ("BITFIELD l BOGUS", err("ERR syntax error")),
        ("BITFIELD l GET u8", err("ERR syntax error")),
        ("BITFIELD l GET u8 0 SET u8 0", err("ERR syntax error")),
        ("BITFIELD l OVERFLOW", err("ERR syntax error")),
        (
            "BITFIELD l OVERFLOW bogus GET u8 0",
            err("ERR Invalid OVERFLOW type specified"),
        ),
        ("BITFIELD l GET u8 -1", err(BAD_OFFSET)),
        ("BITFIELD l GET u8 4294967295", err(WRONGTYPE)),
        ("BITFIELD l GET u8 4294967296", err(BAD_OFFSET)),
        ("BITFIELD l GET u8 #536870911", err(WRONGTYPE)),
        ("BITFIELD l GET u8 #536870912", err(BAD_OFFSET)),
        // 2^60 fields of 64 bits wrap to offset 0, as in Redis.
        ("BITFIELD l GET i64 #1152921504606846976", err(WRONGTYPE)),
        ("BITFIELD l GET i64 #-1", err(BAD_OFFSET)),
        ("BITFIELD l GET u8 #", err(BAD_OFFSET)),
        ("BITFIELD l GET u8 ##1", err(BAD_OFFSET)),
        ("BITFIELD_RO l GET u8 0", err(WRONGTYPE)),
        (
            "BITFIELD_RO l SET u8 0 1",
            err("ERR BITFIELD_RO only supports the GET subcommand"),
        ),
        (
            "BITFIELD_RO k GET u8 0 INCRBY u8 0 1",
            err("ERR BITFIELD_RO only supports the GET subcommand"),
        ),
        ("BITFIELD_RO k OVERFLOW SAT GET u8 0", ints(&[Some(0)])),
        (
            "BITFIELD_RO k OVERFLOW bad GET u8 0",
            err("ERR Invalid OVERFLOW type specified"),
        ),
        ("BITFIELD_RO k BOGUS", err("ERR syntax error")),
        (
            "BITFIELD_RO",
            err("ERR wrong number of arguments for 'bitfield_ro' command"),
        ),
        (
            "BITFIELD",
            err("ERR wrong number of arguments for 'bitfield' command"),
        ),
    ] {
        assert_eq!(run(&e, line), want, "{line}");
    }
    assert_eq!(run(&e, "EXISTS k"), Ok(Value::Int(0)));
}
