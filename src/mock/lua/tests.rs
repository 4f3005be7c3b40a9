//! The engine's Lua against texts and replies taken from redis-server 7.0.15
//! (the same commands were run there; the differential test keeps checking
//! them at random).

use crate::mock::test_support::{arr, b, engine, run};
use crate::protocol::Value;
use crate::scripts::sha1_hex;

fn eval(e: &crate::mock::Engine, body: &str) -> Result<Value, String> {
    run(e, &["EVAL", body, "0"])
}

/// `<err> script: <sha>, on @user_script:<line>.`
fn at(err: &str, body: &str, line: u32) -> Result<Value, String> {
    Err(format!(
        "{err} script: {}, on @user_script:{line}.",
        sha1_hex(body.as_bytes())
    ))
}

#[test]
fn replies_convert_both_ways() {
    let e = engine();
    assert_eq!(
        eval(&e, "return {1,2,nil,3}"),
        Ok(Value::Array(vec![Value::Int(1), Value::Int(2)]))
    );
    assert_eq!(eval(&e, "return 3.99"), Ok(Value::Int(3)));
    assert_eq!(eval(&e, "return {ok='FINE'}"), Ok(b("FINE")));
    assert_eq!(eval(&e, "return true"), Ok(Value::Int(1)));
    assert_eq!(eval(&e, "return false"), Ok(Value::Nil));
    assert_eq!(eval(&e, "return {err='bad'}"), Err("bad".to_owned()));
    assert_eq!(eval(&e, "return {ok=1}"), Ok(Value::Array(vec![])));
    assert_eq!(
        eval(&e, "return {1, 2.7, -3.2, 'a', {ok='x'}, false, true}"),
        Ok(Value::Array(vec![
            Value::Int(1),
            Value::Int(2),
            Value::Int(-3),
            b("a"),
            b("x"),
            Value::Nil,
            Value::Int(1)
        ]))
    );
    assert_eq!(
        eval(&e, "return redis.call('set','a',1.5)"),
        Ok(Value::Okay)
    );
    assert_eq!(run(&e, &["GET", "a"]), Ok(b("1.5")));
    assert_eq!(
        eval(&e, "return type(redis.call('get','nokey'))"),
        Ok(b("boolean"))
    );
    assert_eq!(
        eval(&e, "return redis.call('type','a').ok"),
        Ok(b("string"))
    );
    assert_eq!(eval(&e, "return redis.call('ping')"), Ok(b("PONG")));
    assert_eq!(eval(&e, "return redis.call('ping').ok"), Ok(b("PONG")));
    // With a message PING answers a bulk string, not a status.
    assert_eq!(
        eval(&e, "return type(redis.call('ping','hi'))"),
        Ok(b("string"))
    );
    assert_eq!(
        run(
            &e,
            &[
                "EVAL",
                "return {KEYS[1], ARGV[1], #KEYS, #ARGV}",
                "1",
                "k",
                "v"
            ]
        ),
        Ok(Value::Array(vec![
            b("k"),
            b("v"),
            Value::Int(1),
            Value::Int(1)
        ]))
    );
    assert_eq!(
        eval(&e, "return redis.sha1hex('')"),
        Ok(b("da39a3ee5e6b4b0d3255bfef95601890afd80709"))
    );
    assert_eq!(
        eval(&e, "return redis.error_reply('My y')"),
        Err("My y".to_owned())
    );
    assert_eq!(eval(&e, "return redis.status_reply('FOO')"), Ok(b("FOO")));
    assert_eq!(
        eval(&e, "return redis.pcall('nosuch')"),
        Err("ERR Unknown Redis command called from script".to_owned())
    );
}

#[test]
fn errors_read_as_redis_7_0() {
    let e = engine();
    for (body, err, line) in [
        (
            "return redis.call('nosuch')",
            "ERR Unknown Redis command called from script",
            1,
        ),
        (
            "return redis.call('get')",
            "ERR Wrong number of args calling Redis command from script",
            1,
        ),
        (
            "return redis.call('set','a','b','c')",
            "ERR syntax error",
            1,
        ),
        ("error('boom')", "ERR user_script:1: boom", 1),
        ("error({err='MY custom'})", "MY custom", 1),
        (
            "x=1",
            "ERR user_script:1: Attempt to modify a readonly table",
            1,
        ),
        (
            "return y",
            "ERR user_script:1: Script attempted to access nonexistent global variable 'y'",
            1,
        ),
        (
            "return redis.call()",
            "ERR Please specify at least one argument for this redis lib call",
            1,
        ),
        (
            "return redis.call('set','a',{})",
            "ERR Lua redis lib command arguments must be strings or integers",
            1,
        ),
        (
            "return redis.call('eval','return 1','0')",
            "ERR This Redis command is not allowed from script",
            1,
        ),
        (
            "local a = 1\nreturn redis.pcall('incr','x').err",
            "ERR user_script:2: attempt to index a number value",
            2,
        ),
    ] {
        assert_eq!(eval(&e, body), at(err, body, line), "{body}");
    }
    assert_eq!(
        eval(&e, "retur 1"),
        Err(
            "ERR Error compiling script (new function): user_script:1: '=' expected near '1'"
                .to_owned()
        )
    );
    let ro = "return redis.call('set','a','b')";
    assert_eq!(
        run(&e, &["EVAL_RO", ro, "0"]),
        at(
            "ERR Write commands are not allowed from read-only scripts.",
            ro,
            1
        )
    );
    let nw = "#!lua flags=no-writes\nreturn redis.call('set','a','b')";
    assert_eq!(
        eval(&e, nw),
        at(
            "ERR Write commands are not allowed from read-only scripts.",
            nw,
            2
        )
    );
    assert_eq!(
        eval(&e, "#!lua flags=bogus\nreturn 1"),
        Err("ERR Unexpected flag in script shebang: bogus".to_owned())
    );
    assert_eq!(
        run(&e, &["EVAL_RO", "#!lua\nreturn 1", "0"]),
        Err("ERR Can not execute a script with write flag using *_ro command.".to_owned())
    );
    assert_eq!(
        run(&e, &["SCRIPT", "KILL"]),
        Err("NOTBUSY No scripts in execution right now.".to_owned())
    );
}

#[test]
fn script_cache_and_pcall() {
    let e = engine();
    let body = "return redis.call('incr', KEYS[1])";
    let sha = sha1_hex(body.as_bytes());
    assert_eq!(
        run(&e, &["EVALSHA", &sha, "1", "c"]),
        Err("NOSCRIPT No matching script. Please use EVAL.".to_owned())
    );
    assert_eq!(run(&e, &["SCRIPT", "LOAD", body]), Ok(b(&sha)));
    assert_eq!(run(&e, &["EVALSHA", &sha, "1", "c"]), Ok(Value::Int(1)));
    assert_eq!(
        run(&e, &["SCRIPT", "EXISTS", &sha]),
        Ok(Value::Array(vec![Value::Int(1)]))
    );
    assert_eq!(
        run(&e, &["SCRIPT", "LOAD", "retur"]).unwrap_err(),
        "ERR Error compiling script (new function): user_script:1: '=' expected near '<eof>'"
    );
    let pcall = "redis.call('lpush','l','a'); local r = redis.pcall('incr','l'); return r.err";
    assert_eq!(
        eval(&e, pcall),
        Ok(b(
            "WRONGTYPE Operation against a key holding the wrong kind of value"
        ))
    );
    let caught = "local ok, r = pcall(redis.call, 'incr', 'l'); return {tostring(ok), r}";
    assert_eq!(
        eval(&e, caught),
        Ok(arr(&[
            "false",
            "WRONGTYPE Operation against a key holding the wrong kind of value"
        ]))
    );
    assert_eq!(run(&e, &["SCRIPT", "FLUSH"]), Ok(Value::Okay));
    assert_eq!(
        run(&e, &["EVALSHA", &sha, "1", "c"]).unwrap_err(),
        "NOSCRIPT No matching script. Please use EVAL."
    );
}

#[test]
fn libraries_encode_as_redis() {
    let e = engine();
    assert_eq!(
        eval(&e, "return cjson.encode({a=1,b={1,2,3}})"),
        Ok(b(r#"{"a":1,"b":[1,2,3]}"#))
    );
    assert_eq!(eval(&e, "return cjson.encode({})"), Ok(b("{}")));
    assert_eq!(
        eval(&e, "return cjson.encode(100000000000000)"),
        Ok(b("1e+14"))
    );
    assert_eq!(
        eval(&e, "return cjson.decode('[1,2,{\"a\":null}]')[2]"),
        Ok(Value::Int(2))
    );
    assert_eq!(
        eval(&e, "return cmsgpack.pack({1,2,'a'})"),
        Ok(Value::Bytes(vec![0x93, 1, 2, 0xa1, b'a']))
    );
    assert_eq!(
        eval(&e, "return cmsgpack.unpack(cmsgpack.pack({1,2,'a'}))[3]"),
        Ok(b("a"))
    );
    assert_eq!(eval(&e, "return bit.band(0xff, 0x0f)"), Ok(Value::Int(15)));
    assert_eq!(eval(&e, "return bit.tohex(255)"), Ok(b("000000ff")));
    assert_eq!(
        eval(&e, "return struct.pack('>I2', 258)"),
        Ok(Value::Bytes(vec![1, 2]))
    );
    assert_eq!(
        eval(&e, "return struct.unpack('>I2', struct.pack('>I2', 258))"),
        Ok(Value::Int(258))
    );
}

#[test]
fn functions_load_list_call_delete() {
    let e = engine();
    let lib = "#!lua name=lib\nredis.register_function('f1', function(keys, args) return keys[1] end)\nredis.register_function{function_name='f2', callback=function(keys, args) return redis.call('set', keys[1], args[1]) end, description='desc', flags={'allow-oom','no-writes'}}";
    assert_eq!(run(&e, &["FUNCTION", "LOAD", lib]), Ok(b("lib")));
    assert_eq!(
        run(&e, &["FUNCTION", "LOAD", lib]),
        Err("ERR Library 'lib' already exists".to_owned())
    );
    assert_eq!(run(&e, &["FCALL", "f1", "1", "kk"]), Ok(b("kk")));
    assert_eq!(
        run(&e, &["FCALL_RO", "f1", "1", "kk"]),
        Err("ERR Can not execute a script with write flag using *_ro command.".to_owned())
    );
    assert_eq!(
        run(&e, &["FCALL_RO", "f2", "1", "k", "v"]),
        Err("ERR Write commands are not allowed from read-only scripts. script: f2, on @user_function:3.".to_owned())
    );
    assert_eq!(
        run(&e, &["FCALL", "nof", "0"]),
        Err("ERR Function not found".to_owned())
    );
    assert_eq!(
        run(&e, &["FCALL", "f1", "x"]),
        Err("ERR Bad number of keys provided".to_owned())
    );
    assert_eq!(
        run(&e, &["FUNCTION", "STATS"]),
        Ok(Value::Array(vec![
            b("running_script"),
            Value::Nil,
            b("engines"),
            Value::Array(vec![
                b("LUA"),
                Value::Array(vec![
                    b("libraries_count"),
                    Value::Int(1),
                    b("functions_count"),
                    Value::Int(2),
                ]),
            ]),
        ]))
    );
    assert_eq!(
        run(&e, &["FUNCTION", "STATS", "x"]),
        Err("ERR wrong number of arguments for 'function|stats' command".to_owned())
    );
    let listed = run(&e, &["FUNCTION", "LIST"]).unwrap();
    let Value::Array(libs) = listed else {
        panic!("{listed:?}")
    };
    let Value::Array(entry) = &libs[0] else {
        panic!()
    };
    assert_eq!(entry[1], b("lib"));
    let Value::Array(fs) = &entry[5] else {
        panic!()
    };
    assert_eq!(
        fs[1],
        Value::Array(vec![
            b("name"),
            b("f2"),
            b("description"),
            b("desc"),
            b("flags"),
            arr(&["no-writes", "allow-oom"])
        ])
    );
    assert_eq!(
        run(&e, &["FUNCTION", "LOAD", "#!lua name=liby\nerror('oops')"]),
        Err("ERR Error registering functions: ERR user_function:2: Script attempted to access nonexistent global variable 'error'".to_owned())
    );
    assert_eq!(
        run(&e, &["FUNCTION", "LOAD", "#!lua name=liby\nlocal x = \n"]),
        Err(
            "ERR Error compiling function: user_function:3: unexpected symbol near '<eof>'"
                .to_owned()
        )
    );
    assert_eq!(
        run(
            &e,
            &[
                "FUNCTION",
                "LOAD",
                "#!lua name=liby\nredis.register_function('f1', function() return 1 end)"
            ]
        ),
        Err("ERR Function f1 already exists".to_owned())
    );
    assert_eq!(
        run(&e, &["FUNCTION", "LOAD", "#!lua name=liby\nreturn 1"]),
        Err("ERR No functions registered".to_owned())
    );
    assert_eq!(run(&e, &["FUNCTION", "DELETE", "lib"]), Ok(Value::Okay));
    assert_eq!(
        run(&e, &["FCALL", "f1", "1", "kk"]),
        Err("ERR Function not found".to_owned())
    );
    assert_eq!(
        run(&e, &["FUNCTION", "DELETE", "lib"]),
        Err("ERR Library not found".to_owned())
    );
}
