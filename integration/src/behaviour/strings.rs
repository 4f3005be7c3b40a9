//! The string commands beyond GET/SET/INCR.

use edgestash::prelude::*;

use super::{b, ensure, ensure_eq, ensure_redis_err, key, Outcome};

pub(super) async fn run(c: &Client, p: &str) -> Outcome {
    let k = key(p, "k");
    let other = key(p, "other");

    // SET's options (the engine's plain SET is in the basic family).
    c.set(&k, "v1").await?;
    ensure_eq!(
        c.set_with(&k, "v2", SetOptions::default().nx()).await?,
        false
    );
    ensure_eq!(
        c.set_with(&k, "v2", SetOptions::default().xx()).await?,
        true
    );
    ensure_eq!(
        c.set_get(&k, "v3", SetOptions::default()).await?,
        Some(b("v2"))
    );
    ensure_eq!(
        c.set_with(&k, "v", SetOptions::default().ex(100).xx())
            .await?,
        true
    );
    ensure!((1..=100).contains(&c.ttl(&k).await?));
    ensure_eq!(
        c.set_with(&k, "v", SetOptions::default().keep_ttl())
            .await?,
        true
    );
    ensure!((1..=100).contains(&c.ttl(&k).await?));
    c.del([&k]).await?;

    ensure_eq!(c.setnx(&k, "a").await?, true);
    ensure_eq!(c.setnx(&k, "b").await?, false);
    ensure_eq!(c.append(&k, "bc").await?, 3);
    ensure_eq!(c.strlen(&k).await?, 3);
    ensure_eq!(c.strlen(key(p, "missing")).await?, 0);
    ensure_eq!(c.getrange(&k, 1, -1).await?, b("bc"));
    ensure_eq!(c.getrange(&k, 5, 9).await?, b(""));
    // SETRANGE past the end pads with zero bytes.
    ensure_eq!(c.setrange(&k, 5, "z").await?, 6);
    ensure_eq!(c.get(&k).await?, Some(b"abc\0\0z".to_vec()));

    ensure_eq!(c.getset(&k, "new").await?, Some(b"abc\0\0z".to_vec()));
    ensure_eq!(c.getdel(&k).await?, Some(b("new")));
    ensure_eq!(c.getdel(&k).await?, None);

    c.setex(&k, 100, "v").await?;
    let ttl = c.ttl(&k).await?;
    ensure!((1..=100).contains(&ttl));
    c.psetex(&k, 100_000, "v").await?;
    let pttl = c.pttl(&k).await?;
    ensure!((1..=100_000).contains(&pttl));
    ensure_redis_err!(c.setex(&k, 0, "v").await, "ERR");

    ensure_eq!(c.getex(&k, GetExExpiry::Persist).await?, Some(b("v")));
    ensure_eq!(c.ttl(&k).await?, -1);
    ensure_eq!(c.getex(&k, GetExExpiry::Seconds(50)).await?, Some(b("v")));
    ensure!((1..=50).contains(&c.ttl(&k).await?));
    ensure_eq!(c.getex(&other, GetExExpiry::Seconds(5)).await?, None);

    ensure_eq!(c.incrbyfloat(&other, 1.5).await?, 1.5);
    ensure_eq!(c.incrbyfloat(&other, -0.25).await?, 1.25);
    ensure_redis_err!(c.incrby(&other, 1).await, "ERR");
    ensure_eq!(c.decr(key(p, "n")).await?, -1);
    ensure_eq!(c.decrby(key(p, "n"), 4).await?, -5);
    ensure_eq!(c.incrby(key(p, "n"), 10).await?, 5);

    let (m1, m2, m3) = (key(p, "m1"), key(p, "m2"), key(p, "m3"));
    ensure_eq!(c.msetnx([(&m1, "1"), (&m2, "2")]).await?, true);
    // One existing key stops the whole MSETNX.
    ensure_eq!(c.msetnx([(&m2, "x"), (&m3, "3")]).await?, false);
    ensure_eq!(
        c.mget([&m1, &m2, &m3]).await?,
        vec![Some(b("1")), Some(b("2")), None]
    );
    c.mset([(&m3, "3")]).await?;
    ensure_eq!(c.get(&m3).await?, Some(b("3")));

    // JSON is opt-in and strict.
    c.set_json(&k, &vec![1, 2, 3], SetOptions::default())
        .await?;
    ensure_eq!(
        c.get_json::<Vec<u32>>(&k).await?.map(|j| j.0),
        Some(vec![1, 2, 3])
    );
    ensure!(c.get_json::<String>(&k).await.is_err());

    // A list is the wrong type for string commands.
    let list = key(p, "list");
    c.rpush(&list, ["x"]).await?;
    ensure_redis_err!(c.append(&list, "x").await, "WRONGTYPE");

    c.del([&k, &other, &m1, &m2, &m3, &list, &key(p, "n")])
        .await?;
    Ok(())
}
