//! EVAL, EVALSHA, SCRIPT EXISTS/LOAD, [`Script`], and PUBLISH.

use edgestash::prelude::*;

use super::{b, ensure, ensure_eq, ensure_redis_err, key, Outcome};

pub(super) async fn run(c: &Client, p: &str) -> Outcome {
    let k = key(p, "k");

    // KEYS and ARGV arrive as given; numkeys is counted from the keys.
    let echoed: Vec<Vec<u8>> = c
        .eval(
            "return {KEYS[1], KEYS[2], ARGV[1]}",
            [&k, &key(p, "k2")],
            ["arg"],
        )
        .await?;
    ensure_eq!(
        echoed,
        vec![k.clone().into_bytes(), key(p, "k2").into_bytes(), b("arg")]
    );
    let n: i64 = c
        .eval("return redis.call('INCRBY', KEYS[1], ARGV[1])", [&k], ["5"])
        .await?;
    ensure_eq!(n, 5);
    let nothing: Option<Vec<u8>> = c.eval::<_, &str, &str>("return nil", [], []).await?;
    ensure_eq!(nothing, None);
    ensure_redis_err!(
        c.eval::<Value, &str, &str>("return redis.call('NOPE')", [], [])
            .await,
        "ERR"
    );

    // A script the server has never seen: EVALSHA says NOSCRIPT, typed.
    let fresh = Script::new(format!("return '{p}'"));
    let missing = c.evalsha::<Value, &str, &str>(fresh.sha1(), [], []).await;
    ensure!(matches!(&missing, Err(e) if e.is_noscript()));
    ensure_eq!(c.script_exists([fresh.sha1()]).await?, vec![false]);
    // Script::run falls back to EVAL, which also stores it.
    let out: Vec<u8> = fresh.run(c, Vec::<&str>::new(), Vec::<&str>::new()).await?;
    ensure_eq!(out, b(p));
    ensure_eq!(c.script_exists([fresh.sha1()]).await?, vec![true]);
    let again: Vec<u8> = fresh.run(c, Vec::<&str>::new(), Vec::<&str>::new()).await?;
    ensure_eq!(again, b(p));

    let loaded = Script::new(format!("return {{'{p}', ARGV[1]}}"));
    ensure_eq!(c.script_load(loaded.source()).await?, loaded.sha1());
    let pair: Vec<Vec<u8>> = c.evalsha(loaded.sha1(), [&k], ["x"]).await?;
    ensure_eq!(pair, vec![b(p), b("x")]);

    // In a batch, Script::eval_on sends the body.
    let pipe = c.pipeline();
    let slot = loaded.eval_on::<_, Vec<Vec<u8>>, _, _>(&pipe, [&k], ["y"]);
    let mut results = pipe.exec().await?;
    ensure_eq!(results.take(slot)?, vec![b(p), b("y")]);
    ensure_eq!(
        c.script_exists(["0000", loaded.sha1()]).await?,
        vec![false, true]
    );

    // Nobody listens: PUBLISH reaches no one.
    ensure_eq!(c.publish(key(p, "channel"), "hello").await?, 0);
    c.del([&k]).await?;
    Ok(())
}
