//! Set commands.

use edgestash::prelude::*;

use super::{b, bs, ensure, ensure_eq, ensure_redis_err, key, sorted, Outcome};

pub(super) async fn run(c: &Client, p: &str) -> Outcome {
    let (s1, s2, s3) = (key(p, "s1"), key(p, "s2"), key(p, "s3"));
    let (d, missing) = (key(p, "d"), key(p, "missing"));

    ensure_eq!(c.sadd(&s1, ["a", "b", "c", "a"]).await?, 3);
    ensure_eq!(c.sadd(&s1, ["c", "d"]).await?, 1);
    ensure_eq!(c.srem(&s1, ["d", "nope"]).await?, 1);
    ensure_eq!(sorted(c.smembers(&s1).await?), bs(&["a", "b", "c"]));
    ensure_eq!(c.smembers(&missing).await?, bs(&[]));
    ensure_eq!(c.sismember(&s1, "a").await?, true);
    ensure_eq!(c.sismember(&s1, "z").await?, false);
    ensure_eq!(
        c.smismember(&s1, ["a", "z", "c"]).await?,
        vec![true, false, true]
    );
    ensure_eq!(c.scard(&s1).await?, 3);

    c.sadd(&s2, ["b", "c", "d"]).await?;
    c.sadd(&s3, ["c", "e"]).await?;
    ensure_eq!(sorted(c.sinter([&s1, &s2]).await?), bs(&["b", "c"]));
    ensure_eq!(c.sinter([&s1, &missing]).await?, bs(&[]));
    ensure_eq!(c.sinterstore(&d, [&s1, &s2, &s3]).await?, 1);
    ensure_eq!(c.smembers(&d).await?, bs(&["c"]));
    ensure_eq!(c.sintercard([&s1, &s2], None).await?, 2);
    ensure_eq!(c.sintercard([&s1, &s2], Some(1)).await?, 1);
    ensure_eq!(
        sorted(c.sunion([&s1, &s3]).await?),
        bs(&["a", "b", "c", "e"])
    );
    ensure_eq!(c.sunionstore(&d, [&s2, &s3]).await?, 4);
    ensure_eq!(sorted(c.sdiff([&s1, &s2]).await?), bs(&["a"]));
    ensure_eq!(c.sdiffstore(&d, [&s2, &s1]).await?, 1);
    ensure_eq!(c.smembers(&d).await?, bs(&["d"]));

    ensure_eq!(c.smove(&s1, &s3, "a").await?, true);
    ensure_eq!(c.smove(&s1, &s3, "a").await?, false);
    ensure_eq!(c.sismember(&s3, "a").await?, true);

    let pick = c.srandmember(&s2).await?;
    ensure!(pick.is_some_and(|m| bs(&["b", "c", "d"]).contains(&m)));
    ensure_eq!(c.srandmember(&missing).await?, None);
    ensure_eq!(
        sorted(c.srandmember_count(&s2, 10).await?),
        bs(&["b", "c", "d"])
    );
    ensure_eq!(c.srandmember_count(&s2, -7).await?.len(), 7);
    ensure_eq!(c.scard(&s2).await?, 3);

    let popped = c.spop(&s2).await?;
    ensure!(popped.is_some());
    ensure_eq!(c.scard(&s2).await?, 2);
    ensure_eq!(c.spop_count(&s2, 5).await?.len(), 2);
    ensure_eq!(c.exists([&s2]).await?, 0);
    ensure_eq!(c.spop(&s2).await?, None);

    let mut members = Vec::new();
    let mut cursor = 0;
    for _ in 0..10_000 {
        let page = c.sscan(&s3, cursor, &MemberScanOptions::default()).await?;
        members.extend(page.items);
        cursor = page.cursor;
        if cursor == 0 {
            break;
        }
    }
    members.sort();
    members.dedup();
    ensure_eq!(members, bs(&["a", "c", "e"]));

    let s = key(p, "string");
    c.set(&s, "v").await?;
    ensure_redis_err!(c.sadd(&s, ["x"]).await, "WRONGTYPE");
    ensure_eq!(c.get(&s).await?, Some(b("v")));
    c.del([&s1, &s2, &s3, &d, &s]).await?;
    Ok(())
}
