//! Sorted-set commands.

use edgestash::prelude::*;

use super::{b, bs, ensure, ensure_eq, ensure_redis_err, key, sorted, Outcome};

fn scored(items: &[(&str, f64)]) -> Vec<(Vec<u8>, f64)> {
    items.iter().map(|(m, s)| (b(m), *s)).collect()
}

pub(super) async fn run(c: &Client, p: &str) -> Outcome {
    adding_and_scores(c, p).await?;
    ranges(c, p).await?;
    pops_and_removals(c, p).await?;
    combinations(c, p).await
}

async fn adding_and_scores(c: &Client, p: &str) -> Outcome {
    let z = key(p, "z");
    ensure_eq!(c.zadd(&z, [(1.0, "a"), (2.0, "b")]).await?, 2);
    // NX adds only new members; XX only updates.
    let nx = ZAddOptions::default().nx();
    ensure_eq!(c.zadd_with(&z, nx, [(9.0, "a"), (3.0, "c")]).await?, 1);
    ensure_eq!(c.zscore(&z, "a").await?, Some(1.0));
    let xx_ch = ZAddOptions::default().xx().ch();
    ensure_eq!(c.zadd_with(&z, xx_ch, [(5.0, "a"), (1.0, "new")]).await?, 1);
    ensure_eq!(c.zscore(&z, "new").await?, None);
    // GT only raises, LT only lowers; CH counts the changes.
    let gt_ch = ZAddOptions::default().gt().ch();
    ensure_eq!(c.zadd_with(&z, gt_ch, [(4.0, "a"), (6.0, "b")]).await?, 1);
    let lt_ch = ZAddOptions::default().lt().ch();
    ensure_eq!(c.zadd_with(&z, lt_ch, [(2.0, "a")]).await?, 1);
    ensure_eq!(
        c.zmscore(&z, ["a", "b", "nope"]).await?,
        vec![Some(2.0), Some(6.0), None]
    );
    ensure_eq!(
        c.zadd_incr(&z, ZAddOptions::default(), 1.5, "a").await?,
        Some(3.5)
    );
    ensure_eq!(
        c.zadd_incr(&z, ZAddOptions::default().nx(), 1.0, "a")
            .await?,
        None
    );
    ensure_eq!(c.zincrby(&z, -0.5, "a").await?, 3.0);
    ensure_eq!(c.zincrby(&z, f64::INFINITY, "inf").await?, f64::INFINITY);
    ensure_eq!(c.zrem(&z, ["inf", "nope"]).await?, 1);
    ensure_eq!(c.zcard(&z).await?, 3);
    ensure_eq!(c.zcard(key(p, "missing")).await?, 0);
    // a=3 c=3 b=6: equal scores order by member.
    ensure_eq!(c.zrank(&z, "c").await?, Some(1));
    ensure_eq!(c.zrevrank(&z, "b").await?, Some(0));
    ensure_eq!(c.zrank(&z, "nope").await?, None);
    ensure_eq!(
        c.zcount(&z, ScoreBound::Exclusive(3.0), ScoreBound::PosInf)
            .await?,
        1
    );
    ensure_eq!(
        c.zcount(&z, ScoreBound::NegInf, ScoreBound::Inclusive(3.0))
            .await?,
        2
    );
    let s = key(p, "string");
    c.set(&s, "v").await?;
    ensure_redis_err!(c.zadd(&s, [(1.0, "a")]).await, "WRONGTYPE");
    c.del([&z, &s]).await?;
    Ok(())
}

async fn ranges(c: &Client, p: &str) -> Outcome {
    let z = key(p, "r");
    let d = key(p, "rd");
    c.zadd(&z, [(1.0, "a"), (2.0, "b"), (3.0, "c"), (4.0, "d")])
        .await?;
    ensure_eq!(
        c.zrange(&z, &ZRangeQuery::by_rank(0, -1)).await?,
        bs(&["a", "b", "c", "d"])
    );
    ensure_eq!(
        c.zrange_with_scores(&z, &ZRangeQuery::by_rank(0, 1).rev())
            .await?
            .into_inner(),
        scored(&[("d", 4.0), ("c", 3.0)])
    );
    let by_score = ZRangeQuery::by_score(ScoreBound::Exclusive(1.0), ScoreBound::Inclusive(4.0));
    ensure_eq!(c.zrange(&z, &by_score).await?, bs(&["b", "c", "d"]));
    ensure_eq!(
        c.zrange(&z, &by_score.clone().rev().limit(1, 1)).await?,
        bs(&["c"])
    );
    ensure_eq!(
        c.zrange_with_scores(&z, &by_score.clone().limit(0, 1))
            .await?
            .into_inner(),
        scored(&[("b", 2.0)])
    );
    ensure_redis_err!(
        c.zrange(&z, &ZRangeQuery::by_rank(0, 1).limit(0, 1)).await,
        "ERR"
    );
    ensure_eq!(c.zrangestore(&d, &z, &by_score.rev()).await?, 3);
    ensure_eq!(
        c.zrange(&d, &ZRangeQuery::by_rank(0, -1)).await?,
        bs(&["b", "c", "d"])
    );

    ensure_eq!(c.zrevrange(&z, 0, 1).await?, bs(&["d", "c"]));
    ensure_eq!(
        c.zrevrange_with_scores(&z, -1, -1).await?.into_inner(),
        scored(&[("a", 1.0)])
    );
    ensure_eq!(
        c.zrangebyscore(&z, ScoreBound::NegInf, ScoreBound::Inclusive(2.0), None)
            .await?,
        bs(&["a", "b"])
    );
    ensure_eq!(
        c.zrangebyscore_with_scores(
            &z,
            ScoreBound::Inclusive(2.0),
            ScoreBound::PosInf,
            Some(Limit {
                offset: 1,
                count: 2
            })
        )
        .await?
        .into_inner(),
        scored(&[("c", 3.0), ("d", 4.0)])
    );
    ensure_eq!(
        c.zrevrangebyscore(&z, ScoreBound::PosInf, ScoreBound::Exclusive(2.0), None)
            .await?,
        bs(&["d", "c"])
    );

    // Lex ranges want one score for all members.
    let lex = key(p, "lex");
    c.zadd(&lex, [(0.0, "a"), (0.0, "b"), (0.0, "c"), (0.0, "d")])
        .await?;
    ensure_eq!(
        c.zrangebylex(&lex, LexBound::Min, LexBound::exclusive("c"), None)
            .await?,
        bs(&["a", "b"])
    );
    ensure_eq!(
        c.zrangebylex(
            &lex,
            LexBound::inclusive("b"),
            LexBound::Max,
            Some(Limit {
                offset: 1,
                count: 5
            })
        )
        .await?,
        bs(&["c", "d"])
    );
    let by_lex = ZRangeQuery::by_lex(LexBound::inclusive("b"), LexBound::inclusive("c"));
    ensure_eq!(c.zrange(&lex, &by_lex).await?, bs(&["b", "c"]));
    ensure_eq!(c.zrange(&lex, &by_lex.rev()).await?, bs(&["c", "b"]));
    ensure_eq!(
        c.zlexcount(&lex, LexBound::exclusive("a"), LexBound::Max)
            .await?,
        3
    );
    c.del([&z, &d, &lex]).await?;
    Ok(())
}

async fn pops_and_removals(c: &Client, p: &str) -> Outcome {
    let z = key(p, "p");
    let missing = key(p, "missing");
    let all = [(1.0, "a"), (2.0, "b"), (3.0, "c"), (4.0, "d"), (5.0, "e")];
    c.zadd(&z, all).await?;
    ensure_eq!(
        c.zpopmin(&z, None).await?.into_inner(),
        scored(&[("a", 1.0)])
    );
    ensure_eq!(
        c.zpopmax(&z, Some(2)).await?.into_inner(),
        scored(&[("e", 5.0), ("d", 4.0)])
    );
    ensure_eq!(c.zpopmin(&missing, None).await?.into_inner(), scored(&[]));
    ensure_eq!(
        c.zmpop([&missing, &z], ScoreEnd::Max, Some(1)).await?,
        Some((z.clone().into_bytes(), scored(&[("c", 3.0)])))
    );
    ensure_eq!(
        c.zmpop([&z], ScoreEnd::Min, None).await?,
        Some((z.clone().into_bytes(), scored(&[("b", 2.0)])))
    );
    ensure_eq!(c.zmpop([&z, &missing], ScoreEnd::Min, None).await?, None);

    c.zadd(&z, all).await?;
    ensure_eq!(c.zremrangebyrank(&z, 0, 1).await?, 2);
    ensure_eq!(
        c.zremrangebyscore(&z, ScoreBound::Exclusive(4.0), ScoreBound::PosInf)
            .await?,
        1
    );
    ensure_eq!(
        c.zrange(&z, &ZRangeQuery::by_rank(0, -1)).await?,
        bs(&["c", "d"])
    );
    let lex = key(p, "lex");
    c.zadd(&lex, [(0.0, "a"), (0.0, "b"), (0.0, "c")]).await?;
    ensure_eq!(
        c.zremrangebylex(&lex, LexBound::Min, LexBound::inclusive("b"))
            .await?,
        2
    );

    // Random members, with and without scores.
    let m = c.zrandmember(&z).await?;
    ensure!(m.is_some_and(|m| m == b("c") || m == b("d")));
    ensure_eq!(c.zrandmember(&missing).await?, None);
    ensure_eq!(sorted(c.zrandmember_count(&z, 5).await?), bs(&["c", "d"]));
    ensure_eq!(c.zrandmember_count(&z, -4).await?.len(), 4);
    let mut with_scores = c.zrandmember_with_scores(&z, 2).await?.into_inner();
    with_scores.sort_by(|x, y| x.0.cmp(&y.0));
    ensure_eq!(with_scores, scored(&[("c", 3.0), ("d", 4.0)]));

    let mut seen = Vec::new();
    let mut cursor = 0;
    for _ in 0..10_000 {
        let page = c
            .zscan(&z, cursor, &MemberScanOptions::default().pattern("c"))
            .await?;
        seen.extend(page.items.into_inner());
        cursor = page.cursor;
        if cursor == 0 {
            break;
        }
    }
    ensure_eq!(seen, scored(&[("c", 3.0)]));
    c.del([&z, &lex]).await?;
    Ok(())
}

async fn combinations(c: &Client, p: &str) -> Outcome {
    let (z1, z2, d) = (key(p, "c1"), key(p, "c2"), key(p, "cd"));
    c.zadd(&z1, [(1.0, "a"), (2.0, "b")]).await?;
    c.zadd(&z2, [(10.0, "b"), (20.0, "c")]).await?;
    let plain = ZCombineOptions::default();

    ensure_eq!(
        c.zunion_with_scores([&z1, &z2], &plain).await?.into_inner(),
        scored(&[("a", 1.0), ("b", 12.0), ("c", 20.0)])
    );
    let weighted = ZCombineOptions::default()
        .weights([2.0, 0.5])
        .aggregate(Aggregate::Max);
    ensure_eq!(
        c.zunion_with_scores([&z1, &z2], &weighted)
            .await?
            .into_inner(),
        scored(&[("a", 2.0), ("b", 5.0), ("c", 10.0)])
    );
    ensure_eq!(c.zunion([&z1, &z2], &plain).await?, bs(&["a", "b", "c"]));
    ensure_eq!(
        c.zinter_with_scores(
            [&z1, &z2],
            &ZCombineOptions::default().aggregate(Aggregate::Min)
        )
        .await?
        .into_inner(),
        scored(&[("b", 2.0)])
    );
    ensure_eq!(c.zinter([&z1, &z2], &plain).await?, bs(&["b"]));
    ensure_eq!(c.zdiff([&z1, &z2]).await?, bs(&["a"]));
    ensure_eq!(
        c.zdiff_with_scores([&z2, &z1]).await?.into_inner(),
        scored(&[("c", 20.0)])
    );

    ensure_eq!(c.zunionstore(&d, [&z1, &z2], &weighted).await?, 3);
    ensure_eq!(c.zscore(&d, "c").await?, Some(10.0));
    ensure_eq!(c.zinterstore(&d, [&z1, &z2], &plain).await?, 1);
    ensure_eq!(c.zscore(&d, "b").await?, Some(12.0));
    ensure_eq!(c.zdiffstore(&d, [&z1, &z2]).await?, 1);
    ensure_eq!(c.zscore(&d, "a").await?, Some(1.0));

    // One weight for two keys is refused before anything is sent.
    let bad = c
        .zunion([&z1, &z2], &ZCombineOptions::default().weights([1.0]))
        .await;
    ensure!(matches!(bad, Err(Error::InvalidRequest { .. })));
    c.del([&z1, &z2, &d]).await?;
    Ok(())
}
