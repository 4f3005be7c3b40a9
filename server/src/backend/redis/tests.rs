use super::*;

#[test]
fn maps_resp2_values() {
    assert_eq!(to_reply(RValue::Okay), Ok(Value::Okay));
    assert_eq!(
        to_reply(RValue::SimpleString("PONG".to_owned())),
        Ok(Value::bytes("PONG"))
    );
    assert_eq!(
        to_reply(RValue::Array(vec![
            RValue::BulkString(vec![0xff]),
            RValue::Nil,
            RValue::Int(-1)
        ])),
        Ok(Value::Array(vec![
            Value::Bytes(vec![0xff]),
            Value::Nil,
            Value::Int(-1)
        ]))
    );
    assert!(to_reply(RValue::Boolean(true)).is_err());
    assert!(to_reply(RValue::Double(1.5)).is_err());
}
