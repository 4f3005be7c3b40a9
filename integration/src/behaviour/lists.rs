//! List commands.

use edgestash::prelude::*;

use super::{b, bs, ensure_eq, ensure_redis_err, key, Outcome};

pub(super) async fn run(c: &Client, p: &str) -> Outcome {
    let l = key(p, "l");
    let other = key(p, "other");
    let missing = key(p, "missing");

    ensure_eq!(c.lpushx(&l, ["x"]).await?, 0);
    ensure_eq!(c.rpush(&l, ["b", "c"]).await?, 2);
    // LPUSH prepends one by one: the last element ends up first.
    ensure_eq!(c.lpush(&l, ["a", "z"]).await?, 4);
    ensure_eq!(c.lrange(&l, 0, -1).await?, bs(&["z", "a", "b", "c"]));
    ensure_eq!(c.lpushx(&l, ["y"]).await?, 5);
    ensure_eq!(c.rpushx(&l, ["d"]).await?, 6);
    ensure_eq!(c.rpushx(&missing, ["d"]).await?, 0);
    ensure_eq!(c.llen(&l).await?, 6);
    ensure_eq!(c.llen(&missing).await?, 0);
    ensure_eq!(c.lindex(&l, 0).await?, Some(b("y")));
    ensure_eq!(c.lindex(&l, -1).await?, Some(b("d")));
    ensure_eq!(c.lindex(&l, 100).await?, None);

    ensure_eq!(c.lpop(&l).await?, Some(b("y")));
    ensure_eq!(c.rpop(&l).await?, Some(b("d")));
    ensure_eq!(c.lpop_count(&l, 2).await?, Some(bs(&["z", "a"])));
    ensure_eq!(c.rpop_count(&l, 5).await?, Some(bs(&["c", "b"])));
    // The list is gone once empty.
    ensure_eq!(c.lpop(&l).await?, None);
    ensure_eq!(c.lpop_count(&l, 2).await?, None);

    c.rpush(&l, ["a", "b", "a", "c", "a"]).await?;
    ensure_eq!(c.lpos(&l, "a", LposOptions::default()).await?, Some(0));
    ensure_eq!(
        c.lpos(&l, "a", LposOptions::default().rank(-1)).await?,
        Some(4)
    );
    ensure_eq!(c.lpos(&l, "q", LposOptions::default()).await?, None);
    ensure_eq!(
        c.lpos_count(&l, "a", 0, LposOptions::default()).await?,
        vec![0, 2, 4]
    );
    ensure_eq!(
        c.lpos_count(&l, "a", 2, LposOptions::default().rank(2))
            .await?,
        vec![2, 4]
    );
    ensure_eq!(
        c.lpos_count(&l, "a", 0, LposOptions::default().maxlen(3))
            .await?,
        vec![0, 2]
    );

    ensure_eq!(c.lrem(&l, -2, "a").await?, 2);
    ensure_eq!(c.lrange(&l, 0, -1).await?, bs(&["a", "b", "c"]));
    c.lset(&l, 1, "B").await?;
    ensure_redis_err!(c.lset(&l, 10, "x").await, "ERR");
    ensure_eq!(c.linsert(&l, InsertPosition::Before, "c", "bc").await?, 4);
    ensure_eq!(c.linsert(&l, InsertPosition::After, "nope", "x").await?, -1);
    ensure_eq!(
        c.linsert(&missing, InsertPosition::After, "a", "x").await?,
        0
    );
    ensure_eq!(c.lrange(&l, 0, -1).await?, bs(&["a", "B", "bc", "c"]));
    c.ltrim(&l, 1, 2).await?;
    ensure_eq!(c.lrange(&l, 0, -1).await?, bs(&["B", "bc"]));

    ensure_eq!(
        c.lmove(&l, &other, ListEnd::Left, ListEnd::Right).await?,
        Some(b("B"))
    );
    ensure_eq!(c.rpoplpush(&l, &other).await?, Some(b("bc")));
    ensure_eq!(c.lrange(&other, 0, -1).await?, bs(&["bc", "B"]));
    ensure_eq!(c.rpoplpush(&l, &other).await?, None);

    // LMPOP takes from the first non-empty list.
    ensure_eq!(
        c.lmpop([&missing, &other], ListEnd::Right, Some(5)).await?,
        Some((other.clone().into_bytes(), bs(&["B", "bc"])))
    );
    ensure_eq!(
        c.lmpop([&missing, &other], ListEnd::Left, None).await?,
        None
    );

    let s = key(p, "string");
    c.set(&s, "v").await?;
    ensure_redis_err!(c.lpush(&s, ["x"]).await, "WRONGTYPE");
    c.del([&l, &other, &s]).await?;
    Ok(())
}
