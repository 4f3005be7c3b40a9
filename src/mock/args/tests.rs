use super::*;

#[test]
fn cursors_parse_as_redis_7() {
    for (text, want) in [
        ("", Ok(0)),
        ("00", Ok(0)),
        ("+5", Ok(5)),
        ("-1", Ok(u64::MAX)),
        ("18446744073709551615", Ok(u64::MAX)),
        ("-18446744073709551615", Ok(1)),
        ("+", Err(ArgError::InvalidCursor)),
        ("-", Err(ArgError::InvalidCursor)),
        (" 1", Err(ArgError::InvalidCursor)),
        ("1 ", Err(ArgError::InvalidCursor)),
        ("0x1", Err(ArgError::InvalidCursor)),
        ("+-1", Err(ArgError::InvalidCursor)),
        ("18446744073709551616", Err(ArgError::InvalidCursor)),
    ] {
        assert_eq!(parse_cursor(text.as_bytes()), want, "{text:?}");
    }
}

#[test]
fn the_cursor_reads_in_order_with_redis_texts() {
    let raw: Vec<Vec<u8>> = ["k", "10", "1.5", "WITHSCORES", "x"]
        .iter()
        .map(|s| s.as_bytes().to_vec())
        .collect();
    let mut args = Args::new("cmd", &raw);
    assert_eq!(args.arg(), Ok(&b"k"[..]));
    assert_eq!(args.int(), Ok(10));
    assert_eq!(args.float(), Ok(1.5));
    assert!(!args.eat("LIMIT"));
    assert!(args.eat("withscores"));
    assert_eq!(
        args.finish().map_err(String::from),
        Err("ERR syntax error".to_owned())
    );
    assert_eq!(args.rest().len(), 1);
    assert!(args.is_empty());
    assert_eq!(
        args.arg().map_err(String::from),
        Err("ERR wrong number of arguments for 'cmd' command".to_owned())
    );
    assert_eq!(
        parse_int(b"01").map_err(String::from),
        Err("ERR value is not an integer or out of range".to_owned())
    );
    assert_eq!(
        parse_float(b" 1").map_err(String::from),
        Err("ERR value is not a valid float".to_owned())
    );
}
