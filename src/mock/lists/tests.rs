use crate::mock::test_support::{arr, b, engine, run};
use crate::protocol::Value;

fn ints(items: &[i64]) -> Value {
    Value::Array(items.iter().map(|&i| Value::Int(i)).collect())
}

fn err(text: &str) -> Result<Value, String> {
    Err(text.to_owned())
}

#[crate::unit_test]
fn push_pop_and_ranges() {
    let e = engine();
    assert_eq!(run(&e, &["LPUSH", "l", "a", "b", "c"]), Ok(Value::Int(3)));
    assert_eq!(run(&e, &["RPUSH", "l", "d"]), Ok(Value::Int(4)));
    assert_eq!(
        run(&e, &["LRANGE", "l", "0", "-1"]),
        Ok(arr(&["c", "b", "a", "d"]))
    );
    assert_eq!(run(&e, &["LRANGE", "l", "-100", "1"]), Ok(arr(&["c", "b"])));
    assert_eq!(run(&e, &["LRANGE", "l", "5", "10"]), Ok(arr(&[])));
    assert_eq!(run(&e, &["LINDEX", "l", "-1"]), Ok(b("d")));
    assert_eq!(run(&e, &["LINDEX", "l", "4"]), Ok(Value::Nil));
    assert_eq!(run(&e, &["LPUSHX", "nokey", "a"]), Ok(Value::Int(0)));
    assert_eq!(run(&e, &["RPUSHX", "l", "e"]), Ok(Value::Int(5)));
    assert_eq!(run(&e, &["RPOP", "l", "2"]), Ok(arr(&["e", "d"])));
    assert_eq!(run(&e, &["LPOP", "l"]), Ok(b("c")));
    assert_eq!(run(&e, &["LPOP", "l", "0"]), Ok(arr(&[])));
    assert_eq!(run(&e, &["LPOP", "l", "9"]), Ok(arr(&["b", "a"])));
    assert_eq!(run(&e, &["LLEN", "l"]), Ok(Value::Int(0)));
    assert_eq!(run(&e, &["LPOP", "l", "0"]), Ok(Value::Nil));
    assert_eq!(run(&e, &["LPOP", "l"]), Ok(Value::Nil));
    assert_eq!(
        run(&e, &["LPOP", "l", "-1"]),
        err("ERR value is out of range, must be positive")
    );
    assert_eq!(
        run(&e, &["LPOP", "l", "1", "2"]),
        err("ERR wrong number of arguments for 'lpop' command")
    );
}

#[crate::unit_test]
fn set_insert_remove_trim() {
    let e = engine();
    assert_eq!(run(&e, &["LSET", "l", "0", "x"]), err("ERR no such key"));
    run(&e, &["RPUSH", "l", "a", "b", "a", "c", "a"]).unwrap();
    assert_eq!(
        run(&e, &["LSET", "l", "5", "x"]),
        err("ERR index out of range")
    );
    assert_eq!(run(&e, &["LSET", "l", "-5", "A"]), Ok(Value::Okay));
    assert_eq!(
        run(&e, &["LINSERT", "l", "BEFORE", "b", "X"]),
        Ok(Value::Int(6))
    );
    assert_eq!(
        run(&e, &["LINSERT", "l", "after", "zz", "X"]),
        Ok(Value::Int(-1))
    );
    assert_eq!(
        run(&e, &["LINSERT", "nokey", "after", "a", "X"]),
        Ok(Value::Int(0))
    );
    assert_eq!(
        run(&e, &["LINSERT", "l", "middle", "a", "X"]),
        err("ERR syntax error")
    );
    assert_eq!(
        run(&e, &["LRANGE", "l", "0", "-1"]),
        Ok(arr(&["A", "X", "b", "a", "c", "a"]))
    );
    assert_eq!(run(&e, &["LREM", "l", "-1", "a"]), Ok(Value::Int(1)));
    assert_eq!(
        run(&e, &["LRANGE", "l", "0", "-1"]),
        Ok(arr(&["A", "X", "b", "a", "c"]))
    );
    assert_eq!(run(&e, &["LTRIM", "l", "1", "-2"]), Ok(Value::Okay));
    assert_eq!(
        run(&e, &["LRANGE", "l", "0", "-1"]),
        Ok(arr(&["X", "b", "a"]))
    );
    assert_eq!(run(&e, &["LTRIM", "l", "2", "1"]), Ok(Value::Okay));
    assert_eq!(run(&e, &["LLEN", "l"]), Ok(Value::Int(0)));
    assert_eq!(
        run(&e, &["LTRIM", "l", "x", "1"]),
        err("ERR value is not an integer or out of range")
    );
}

#[crate::unit_test]
fn lpos_options() {
    let e = engine();
    run(&e, &["RPUSH", "l", "a", "b", "c", "1", "2", "3", "c", "c"]).unwrap();
    assert_eq!(run(&e, &["LPOS", "l", "c"]), Ok(Value::Int(2)));
    assert_eq!(run(&e, &["LPOS", "l", "c", "RANK", "2"]), Ok(Value::Int(6)));
    assert_eq!(
        run(&e, &["LPOS", "l", "c", "RANK", "-1"]),
        Ok(Value::Int(7))
    );
    assert_eq!(run(&e, &["LPOS", "l", "c", "RANK", "4"]), Ok(Value::Nil));
    assert_eq!(
        run(&e, &["LPOS", "l", "c", "COUNT", "0"]),
        Ok(ints(&[2, 6, 7]))
    );
    assert_eq!(
        run(&e, &["LPOS", "l", "c", "COUNT", "2", "RANK", "-1"]),
        Ok(ints(&[7, 6]))
    );
    assert_eq!(
        run(&e, &["LPOS", "l", "c", "COUNT", "0", "MAXLEN", "3"]),
        Ok(ints(&[2]))
    );
    assert_eq!(
        run(
            &e,
            &[
                "LPOS",
                "l",
                "c",
                "RANK",
                "-9223372036854775808",
                "COUNT",
                "0"
            ]
        ),
        Ok(ints(&[7, 6, 2]))
    );
    assert_eq!(run(&e, &["LPOS", "nokey", "c", "COUNT", "0"]), Ok(arr(&[])));
    assert_eq!(run(&e, &["LPOS", "l", "c", "RANK", "0"]), err("ERR RANK can't be zero: use 1 to start from the first match, 2 from the second ... or use negative to start from the end of the list"));
    assert_eq!(
        run(&e, &["LPOS", "l", "c", "COUNT", "x"]),
        err("ERR COUNT can't be negative")
    );
    assert_eq!(
        run(&e, &["LPOS", "l", "c", "MAXLEN", "-1"]),
        err("ERR MAXLEN can't be negative")
    );
    assert_eq!(
        run(&e, &["LPOS", "l", "c", "RANK"]),
        err("ERR syntax error")
    );
}

#[crate::unit_test]
fn moves_and_multi_pop() {
    let e = engine();
    run(&e, &["RPUSH", "l", "a", "b", "c"]).unwrap();
    assert_eq!(run(&e, &["LMOVE", "l", "l", "LEFT", "RIGHT"]), Ok(b("a")));
    assert_eq!(run(&e, &["RPOPLPUSH", "l", "l"]), Ok(b("a")));
    assert_eq!(
        run(&e, &["LRANGE", "l", "0", "-1"]),
        Ok(arr(&["a", "b", "c"]))
    );
    run(&e, &["SET", "s", "x"]).unwrap();
    assert_eq!(run(&e, &["RPOPLPUSH", "nokey", "s"]), Ok(Value::Nil));
    assert_eq!(
        run(&e, &["LMOVE", "l", "s", "LEFT", "LEFT"]),
        err("WRONGTYPE Operation against a key holding the wrong kind of value")
    );
    assert_eq!(
        run(&e, &["LMOVE", "l", "d", "up", "LEFT"]),
        err("ERR syntax error")
    );
    assert_eq!(run(&e, &["LMOVE", "l", "d", "LEFT", "RIGHT"]), Ok(b("a")));
    assert_eq!(
        run(&e, &["LMPOP", "2", "nokey", "l", "RIGHT", "COUNT", "5"]),
        Ok(Value::Array(vec![b("l"), arr(&["c", "b"])]))
    );
    assert_eq!(run(&e, &["LLEN", "l"]), Ok(Value::Int(0)));
    assert_eq!(
        run(&e, &["LMPOP", "2", "l", "nokey", "LEFT"]),
        Ok(Value::Nil)
    );
    assert_eq!(
        run(&e, &["LMPOP", "0", "l", "LEFT"]),
        err("ERR numkeys should be greater than 0")
    );
    assert_eq!(
        run(&e, &["LMPOP", "2", "l", "LEFT"]),
        err("ERR syntax error")
    );
    assert_eq!(
        run(&e, &["LMPOP", "1", "d", "LEFT", "COUNT", "0"]),
        err("ERR count should be greater than 0")
    );
    assert_eq!(
        run(&e, &["LMPOP", "1", "d", "LEFT", "COUNT", "1", "COUNT", "1"]),
        err("ERR syntax error")
    );
    assert_eq!(
        run(&e, &["LMPOP", "1", "d", "LEFT"]),
        Ok(Value::Array(vec![b("d"), arr(&["a"])]))
    );
}
