//! Key commands: existence, deletion, renaming, copying, expiry, TYPE,
//! KEYS and SCAN.

use edgestash::prelude::*;

use super::{b, bs, ensure, ensure_eq, ensure_redis_err, key, sorted, Outcome};

pub(super) async fn run(c: &Client, p: &str) -> Outcome {
    existence_and_names(c, p).await?;
    expiry(c, p).await?;
    iteration(c, p).await
}

async fn existence_and_names(c: &Client, p: &str) -> Outcome {
    let (a, bk, missing) = (key(p, "a"), key(p, "b"), key(p, "missing"));
    c.set(&a, "1").await?;
    ensure_eq!(c.exists([&a, &a, &missing]).await?, 2);
    ensure_eq!(c.touch([&a, &missing]).await?, 1);
    ensure_eq!(c.key_type(&a).await?, KeyType::String);
    ensure_eq!(c.key_type(&missing).await?, KeyType::None);
    c.rpush(&bk, ["x"]).await?;
    ensure_eq!(c.key_type(&bk).await?, KeyType::List);

    ensure_eq!(c.renamenx(&a, &bk).await?, false);
    c.rename(&a, key(p, "a2")).await?;
    ensure_eq!(c.get(key(p, "a2")).await?, Some(b("1")));
    ensure_redis_err!(c.rename(&missing, &a).await, "ERR");
    ensure_eq!(c.renamenx(key(p, "a2"), &a).await?, true);

    ensure_eq!(c.copy(&a, &bk, false).await?, false);
    ensure_eq!(c.copy(&a, &bk, true).await?, true);
    ensure_eq!(c.get(&bk).await?, Some(b("1")));
    ensure_eq!(c.copy(&missing, key(p, "c"), false).await?, false);

    ensure_eq!(c.unlink([&a, &bk, &missing]).await?, 2);
    ensure_eq!(c.exists([&a, &bk]).await?, 0);
    Ok(())
}

async fn expiry(c: &Client, p: &str) -> Outcome {
    let k = key(p, "ttl");
    let missing = key(p, "missing");
    ensure_eq!(c.expire(&missing, 10).await?, false);
    ensure_eq!(c.ttl(&missing).await?, -2);
    ensure_eq!(c.expiretime(&missing).await?, -2);
    c.set(&k, "v").await?;
    ensure_eq!(c.ttl(&k).await?, -1);
    ensure_eq!(c.expiretime(&k).await?, -1);
    ensure_eq!(c.persist(&k).await?, false);

    // NX only sets an expiry on a key without one; XX only changes one.
    ensure_eq!(
        c.expire_with(&k, 100, ExpireCondition::IfHasExpiry).await?,
        false
    );
    ensure_eq!(
        c.expire_with(&k, 100, ExpireCondition::IfNoExpiry).await?,
        true
    );
    ensure_eq!(
        c.expire_with(&k, 200, ExpireCondition::IfNoExpiry).await?,
        false
    );
    // GT only lengthens, LT only shortens.
    ensure_eq!(
        c.expire_with(&k, 50, ExpireCondition::IfGreater).await?,
        false
    );
    ensure_eq!(
        c.expire_with(&k, 300, ExpireCondition::IfGreater).await?,
        true
    );
    ensure_eq!(
        c.pexpire_with(&k, 400_000, ExpireCondition::IfLess).await?,
        false
    );
    ensure_eq!(
        c.pexpire_with(&k, 60_000, ExpireCondition::IfLess).await?,
        true
    );
    ensure!((1..=60).contains(&c.ttl(&k).await?));
    ensure_eq!(c.pexpire(&k, 90_000).await?, true);
    ensure!((60_001..=90_000).contains(&c.pttl(&k).await?));

    // Absolute times, read back through EXPIRETIME.
    let (now, _) = c.time().await?;
    let now: i64 = now
        .parse()
        .map_err(|_| super::Failure("TIME did not give seconds".into()))?;
    ensure_eq!(c.expireat(&k, now + 1000).await?, true);
    ensure_eq!(c.expiretime(&k).await?, now + 1000);
    ensure_eq!(
        c.expireat_with(&k, now + 500, ExpireCondition::IfGreater)
            .await?,
        false
    );
    ensure_eq!(c.pexpireat(&k, (now + 2000) * 1000).await?, true);
    ensure_eq!(c.expiretime(&k).await?, now + 2000);
    ensure_eq!(
        c.pexpireat_with(&k, (now + 100) * 1000, ExpireCondition::IfLess)
            .await?,
        true
    );
    ensure_eq!(c.expiretime(&k).await?, now + 100);
    ensure_eq!(c.persist(&k).await?, true);
    ensure_eq!(c.ttl(&k).await?, -1);

    // An expiry in the past deletes the key.
    ensure_eq!(c.expireat(&k, now - 10).await?, true);
    ensure_eq!(c.exists([&k]).await?, 0);
    Ok(())
}

async fn iteration(c: &Client, p: &str) -> Outcome {
    let names = ["it:a1", "it:a2", "it:b1"];
    for n in names {
        c.set(key(p, n), "v").await?;
    }
    c.sadd(key(p, "it:set"), ["m"]).await?;
    let expect = |items: &[&str]| -> Vec<Vec<u8>> {
        sorted(items.iter().map(|n| key(p, n).into_bytes()).collect())
    };

    ensure_eq!(
        sorted(c.keys(format!("{p}it:a*")).await?),
        expect(&["it:a1", "it:a2"])
    );
    ensure_eq!(c.keys(format!("{p}nothing*")).await?, bs(&[]));

    // SCAN until the cursor comes back to 0; keys may repeat across pages.
    let mut seen = Vec::new();
    let mut cursor = 0;
    let options = ScanOptions::default()
        .pattern(format!("{p}it:*"))
        .count(2)
        .key_type(KeyType::String);
    for _ in 0..10_000 {
        let page = c.scan(cursor, &options).await?;
        seen.extend(page.items);
        cursor = page.cursor;
        if cursor == 0 {
            break;
        }
    }
    ensure_eq!(cursor, 0);
    seen.sort();
    seen.dedup();
    ensure_eq!(seen, expect(&["it:a1", "it:a2", "it:b1"]));

    ensure!(c.randomkey().await?.is_some());
    ensure!(c.dbsize().await? >= 4);
    c.del(names.iter().map(|n| key(p, n))).await?;
    c.del([key(p, "it:set")]).await?;
    Ok(())
}
