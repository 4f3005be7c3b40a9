//! Hash commands.

use std::collections::HashMap;

use edgestash::prelude::*;

use super::{b, bs, ensure, ensure_eq, ensure_redis_err, key, sorted, Outcome};

pub(super) async fn run(c: &Client, p: &str) -> Outcome {
    let h = key(p, "h");
    let missing = key(p, "missing");

    ensure_eq!(c.hset(&h, [("f1", "1"), ("f2", "two")]).await?, 2);
    ensure_eq!(c.hset(&h, [("f1", "one"), ("f3", "3")]).await?, 1);
    ensure_eq!(c.hsetnx(&h, "f1", "x").await?, false);
    ensure_eq!(c.hsetnx(&h, "f4", "4").await?, true);
    ensure_eq!(c.hget(&h, "f1").await?, Some(b("one")));
    ensure_eq!(c.hget(&h, "nope").await?, None);
    ensure_eq!(
        c.hmget(&h, ["f2", "nope", "f3"]).await?,
        vec![Some(b("two")), None, Some(b("3"))]
    );
    ensure_eq!(c.hlen(&h).await?, 4);
    ensure_eq!(c.hstrlen(&h, "f2").await?, 3);
    ensure_eq!(c.hstrlen(&h, "nope").await?, 0);
    ensure_eq!(c.hexists(&h, "f4").await?, true);
    ensure_eq!(c.hdel(&h, ["f4", "nope"]).await?, 1);
    ensure_eq!(c.hexists(&h, "f4").await?, false);

    let all = c.hgetall(&h).await?;
    let expect: HashMap<Vec<u8>, Vec<u8>> =
        [(b("f1"), b("one")), (b("f2"), b("two")), (b("f3"), b("3"))]
            .into_iter()
            .collect();
    ensure_eq!(all, expect);
    ensure_eq!(c.hgetall(&missing).await?, HashMap::new());
    ensure_eq!(sorted(c.hkeys(&h).await?), bs(&["f1", "f2", "f3"]));
    ensure_eq!(sorted(c.hvals(&h).await?), bs(&["3", "one", "two"]));

    ensure_eq!(c.hincrby(&h, "n", 5).await?, 5);
    ensure_eq!(c.hincrby(&h, "n", -7).await?, -2);
    ensure_eq!(c.hincrbyfloat(&h, "x", 2.5).await?, 2.5);
    ensure_eq!(c.hincrbyfloat(&h, "x", -0.5).await?, 2.0);
    ensure_redis_err!(c.hincrby(&h, "f1", 1).await, "ERR");
    c.hdel(&h, ["n", "x"]).await?;

    let field = c.hrandfield(&h).await?;
    ensure!(field.is_some_and(|f| [b("f1"), b("f2"), b("f3")].contains(&f)));
    ensure_eq!(c.hrandfield(&missing).await?, None);
    // A positive count gives distinct fields, at most all of them.
    ensure_eq!(
        sorted(c.hrandfield_count(&h, 10).await?),
        bs(&["f1", "f2", "f3"])
    );
    // A negative count may repeat, and gives exactly that many.
    ensure_eq!(c.hrandfield_count(&h, -5).await?.len(), 5);
    let with_values = c.hrandfield_with_values(&h, 3).await?;
    ensure_eq!(with_values.len(), 3);
    for (f, v) in with_values.into_inner() {
        ensure_eq!(expect.get(&f), Some(&v));
    }

    // HSCAN until done; a small hash comes back whole in one page.
    let mut pairs = Vec::new();
    let mut cursor = 0;
    let options = MemberScanOptions::default().pattern("f[12]").count(10);
    for _ in 0..10_000 {
        let page = c.hscan(&h, cursor, &options).await?;
        pairs.extend(page.items.into_inner());
        cursor = page.cursor;
        if cursor == 0 {
            break;
        }
    }
    pairs.sort();
    ensure_eq!(pairs, vec![(b("f1"), b("one")), (b("f2"), b("two"))]);

    let s = key(p, "string");
    c.set(&s, "v").await?;
    ensure_redis_err!(c.hget(&s, "f").await, "WRONGTYPE");
    c.del([&h, &s]).await?;
    Ok(())
}
