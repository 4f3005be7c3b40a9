use super::*;
use crate::commands::recorder::{assert_wire, Recorder};
use crate::commands::sorted_set_options::Aggregate;

#[test]
fn builds_zadd_and_scores() {
    let r = Recorder;
    assert_wire!(
        r.zadd("z", [(1.0, "a"), (2.5, "b")]),
        ["ZADD", "@z", "1", "a", "2.5", "b"]
    );
    assert_wire!(
        r.zadd_with("z", ZAddOptions::default().xx().gt().ch(), [(1.0, "a")]),
        ["ZADD", "@z", "XX", "GT", "CH", "1", "a"]
    );
    assert_wire!(
        r.zadd_incr("z", ZAddOptions::default().nx(), 2.0, "a"),
        ["ZADD", "@z", "NX", "INCR", "2", "a"]
    );
    assert_wire!(r.zrem("z", ["a"]), ["ZREM", "@z", "a"]);
    assert_wire!(r.zscore("z", "a"), ["ZSCORE", "@z", "a"]);
    assert_wire!(r.zmscore("z", ["a", "b"]), ["ZMSCORE", "@z", "a", "b"]);
    assert_wire!(r.zincrby("z", -1.5, "a"), ["ZINCRBY", "@z", "-1.5", "a"]);
    assert_wire!(r.zcard("z"), ["ZCARD", "@z"]);
    assert_wire!(
        r.zcount("z", ScoreBound::Exclusive(1.0), ScoreBound::PosInf),
        ["ZCOUNT", "@z", "(1", "+inf"]
    );
    assert_wire!(
        r.zlexcount("z", LexBound::Min, LexBound::inclusive("c")),
        ["ZLEXCOUNT", "@z", "-", "[c"]
    );
    assert_wire!(r.zrank("z", "a"), ["ZRANK", "@z", "a"]);
    assert_wire!(r.zrevrank("z", "a"), ["ZREVRANK", "@z", "a"]);
}

#[test]
fn builds_ranges() {
    let r = Recorder;
    assert_wire!(
        r.zrange("z", &ZRangeQuery::by_rank(0, -1)),
        ["ZRANGE", "@z", "0", "-1"]
    );
    assert_wire!(
        r.zrange_with_scores("z", &ZRangeQuery::by_rank(0, 1).rev()),
        ["ZRANGE", "@z", "0", "1", "REV", "WITHSCORES"]
    );
    let q =
        ZRangeQuery::by_score(ScoreBound::Inclusive(1.0), ScoreBound::Exclusive(5.0)).limit(1, 2);
    assert_wire!(
        r.zrange("z", &q),
        ["ZRANGE", "@z", "1", "(5", "BYSCORE", "LIMIT", "1", "2"]
    );
    // REV sends the high bound first.
    assert_wire!(
        r.zrange("z", &q.clone().rev()),
        ["ZRANGE", "@z", "(5", "1", "BYSCORE", "REV", "LIMIT", "1", "2"]
    );
    let lex = ZRangeQuery::by_lex(LexBound::exclusive("a"), LexBound::Max).rev();
    assert_wire!(
        r.zrange("z", &lex),
        ["ZRANGE", "@z", "+", "(a", "BYLEX", "REV"]
    );
    assert_wire!(
        r.zrangestore("d", "z", &ZRangeQuery::by_rank(0, 2)),
        ["ZRANGESTORE", "@d", "@z", "0", "2"]
    );
    assert_wire!(r.zrevrange("z", 0, 1), ["ZREVRANGE", "@z", "0", "1"]);
    assert_wire!(
        r.zrevrange_with_scores("z", 0, 1),
        ["ZREVRANGE", "@z", "0", "1", "WITHSCORES"]
    );
    assert_wire!(
        r.zrangebyscore("z", ScoreBound::NegInf, ScoreBound::Inclusive(3.0), None),
        ["ZRANGEBYSCORE", "@z", "-inf", "3"]
    );
    assert_wire!(
        r.zrangebyscore_with_scores(
            "z",
            ScoreBound::NegInf,
            ScoreBound::PosInf,
            Some(Limit {
                offset: 0,
                count: 1
            })
        ),
        [
            "ZRANGEBYSCORE",
            "@z",
            "-inf",
            "+inf",
            "WITHSCORES",
            "LIMIT",
            "0",
            "1"
        ]
    );
    assert_wire!(
        r.zrevrangebyscore("z", ScoreBound::PosInf, ScoreBound::NegInf, None),
        ["ZREVRANGEBYSCORE", "@z", "+inf", "-inf"]
    );
    assert_wire!(
        r.zrangebylex(
            "z",
            LexBound::Min,
            LexBound::Max,
            Some(Limit {
                offset: 2,
                count: -1
            })
        ),
        ["ZRANGEBYLEX", "@z", "-", "+", "LIMIT", "2", "-1"]
    );
}

#[test]
fn builds_pops_removals_and_random() {
    let r = Recorder;
    assert_wire!(r.zpopmin("z", None), ["ZPOPMIN", "@z"]);
    assert_wire!(r.zpopmax("z", Some(2)), ["ZPOPMAX", "@z", "2"]);
    assert_wire!(
        r.zmpop(["a", "b"], ScoreEnd::Max, Some(2)),
        ["ZMPOP", "2", "@a", "@b", "MAX", "COUNT", "2"]
    );
    assert_wire!(
        r.zmpop(["a"], ScoreEnd::Min, None),
        ["ZMPOP", "1", "@a", "MIN"]
    );
    assert_wire!(
        r.zremrangebyrank("z", 0, 1),
        ["ZREMRANGEBYRANK", "@z", "0", "1"]
    );
    assert_wire!(
        r.zremrangebyscore("z", ScoreBound::NegInf, ScoreBound::Exclusive(0.0)),
        ["ZREMRANGEBYSCORE", "@z", "-inf", "(0"]
    );
    assert_wire!(
        r.zremrangebylex("z", LexBound::inclusive("a"), LexBound::Max),
        ["ZREMRANGEBYLEX", "@z", "[a", "+"]
    );
    assert_wire!(r.zrandmember("z"), ["ZRANDMEMBER", "@z"]);
    assert_wire!(r.zrandmember_count("z", -5), ["ZRANDMEMBER", "@z", "-5"]);
    assert_wire!(
        r.zrandmember_with_scores("z", 2),
        ["ZRANDMEMBER", "@z", "2", "WITHSCORES"]
    );
    assert_wire!(
        r.zscan("z", 0, &MemberScanOptions::default().pattern("m*")),
        ["ZSCAN", "@z", "0", "MATCH", "m*"]
    );
}

#[test]
fn builds_combinations() {
    let r = Recorder;
    let opts = ZCombineOptions::default()
        .weights([2.0, 0.5])
        .aggregate(Aggregate::Max);
    assert_wire!(
        r.zunionstore("d", ["a", "b"], &opts),
        [
            "ZUNIONSTORE",
            "@d",
            "2",
            "@a",
            "@b",
            "WEIGHTS",
            "2",
            "0.5",
            "AGGREGATE",
            "MAX"
        ]
    );
    assert_wire!(
        r.zinterstore(
            "d",
            ["a"],
            &ZCombineOptions::default().aggregate(Aggregate::Min)
        ),
        ["ZINTERSTORE", "@d", "1", "@a", "AGGREGATE", "MIN"]
    );
    assert_wire!(
        r.zdiffstore("d", ["a", "b"]),
        ["ZDIFFSTORE", "@d", "2", "@a", "@b"]
    );
    assert_wire!(
        r.zunion(["a", "b"], &ZCombineOptions::default()),
        ["ZUNION", "2", "@a", "@b"]
    );
    assert_wire!(
        r.zunion_with_scores(["a", "b"], &opts),
        [
            "ZUNION",
            "2",
            "@a",
            "@b",
            "WEIGHTS",
            "2",
            "0.5",
            "AGGREGATE",
            "MAX",
            "WITHSCORES"
        ]
    );
    assert_wire!(
        r.zinter(
            ["a", "b"],
            &ZCombineOptions::default().aggregate(Aggregate::Sum)
        ),
        ["ZINTER", "2", "@a", "@b", "AGGREGATE", "SUM"]
    );
    assert_wire!(
        r.zinter_with_scores(["a"], &ZCombineOptions::default()),
        ["ZINTER", "1", "@a", "WITHSCORES"]
    );
    assert_wire!(r.zdiff(["a", "b"]), ["ZDIFF", "2", "@a", "@b"]);
    assert_wire!(
        r.zdiff_with_scores(["a", "b"]),
        ["ZDIFF", "2", "@a", "@b", "WITHSCORES"]
    );
    // One weight for two keys is refused before sending.
    let bad = r.zunion(["a", "b"], &ZCombineOptions::default().weights([1.0]));
    assert!(
        matches!(bad, Err(crate::Error::InvalidRequest { .. })),
        "{bad:?}"
    );
}
