//! GET/SET/INCR/DEL and the connection commands, on the client and in
//! pipelines and transactions: the commands every backend implements.

use edgestash::prelude::*;

use super::{b, ensure, ensure_eq, ensure_redis_err, key, Outcome};

pub(super) async fn run(c: &Client, p: &str) -> Outcome {
    let k = key(p, "k");
    let n = key(p, "n");

    ensure_eq!(c.ping().await?, "PONG");
    ensure_eq!(c.echo("hi").await?, b("hi"));
    let (secs, micros) = c.time().await?;
    ensure!(secs.parse::<u64>().is_ok() && micros.parse::<u32>().is_ok());

    ensure_eq!(c.get(&k).await?, None);
    c.set(&k, "v1").await?;
    ensure_eq!(c.get(&k).await?, Some(b("v1")));
    ensure_eq!(c.get_string(&k).await?, Some("v1".to_owned()));
    ensure!(c.dbsize().await? >= 1);

    ensure_eq!(c.incr(&n).await?, 1);
    ensure_eq!(c.incr(&n).await?, 2);
    ensure_redis_err!(c.incr(&k).await, "ERR");
    ensure_eq!(c.del([&k, &n, &key(p, "missing")]).await?, 2);

    // The same typed methods queue on a pipeline...
    let pipe = c.pipeline();
    let set = pipe.set(&k, "p");
    let get = pipe.get(&k);
    let inc = pipe.incr(&n);
    let mut results = pipe.exec().await?;
    results.take(set)?;
    ensure_eq!(results.take(get)?, Some(b("p")));
    ensure_eq!(results.take(inc)?, 1);

    // ...where a failing command fails only its slot...
    let pipe = c.pipeline();
    let bad = pipe.incr(&k);
    let good = pipe.incr(&n);
    let mut results = pipe.exec_each().await?;
    ensure_redis_err!(results.take(bad), "ERR");
    ensure_eq!(results.take(good)?, 2);

    // ...and on a transaction.
    let tx = c.multi();
    let a = tx.incr(&n);
    let g = tx.get(&n);
    let mut results = tx.exec().await?;
    ensure_eq!(results.take(a)?, 3);
    ensure_eq!(results.take(g)?, Some(b("3")));

    c.del([&k, &n]).await?;
    Ok(())
}
