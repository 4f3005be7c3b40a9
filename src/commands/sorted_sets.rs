//! Sorted-set commands: scored members, ranges by rank, score and lex,
//! pops, and unions/intersections/differences across keys.

use super::scan::MemberScanOptions;
use super::sorted_set_options::{
    LexBound, Limit, ScoreBound, ScoreEnd, ZAddOptions, ZCombineOptions, ZRangeQuery,
};
use super::Commands;
use crate::protocol::{Command, FromValue, ScanPage, ScoredMembers, ToArg};

/// What ZMPOP returns: the key popped from, and the members with scores.
pub type PoppedMembers = (Vec<u8>, Vec<(Vec<u8>, f64)>);

fn with_scores(cmd: Command) -> Command {
    cmd.arg("WITHSCORES")
}

fn zadd_command<M: ToArg>(
    key: impl ToArg,
    options: ZAddOptions,
    members: impl IntoIterator<Item = (f64, M)>,
) -> Command {
    let mut cmd = options.apply(Command::new("ZADD").key(key));
    for (score, member) in members {
        cmd = cmd.arg(score).arg(member);
    }
    cmd
}

/// Sends `cmd numkeys key... [WEIGHTS] [AGGREGATE]`, or fails before
/// sending when the options do not fit the keys.
fn combine<C, K, T>(
    c: &C,
    cmd: Command,
    keys: impl IntoIterator<Item = K>,
    options: &ZCombineOptions,
) -> C::Reply<T>
where
    C: Commands + ?Sized,
    K: ToArg,
    T: FromValue + Send + 'static,
{
    match options.apply(cmd, keys) {
        Ok(cmd) => c.command(cmd),
        Err(e) => c.fail(e),
    }
}

/// [`combine`] with WITHSCORES.
fn combine_with_scores<C: Commands + ?Sized, K: ToArg>(
    c: &C,
    cmd: Command,
    keys: impl IntoIterator<Item = K>,
    options: &ZCombineOptions,
) -> C::Reply<ScoredMembers> {
    match options.apply(cmd, keys) {
        Ok(cmd) => c.command(with_scores(cmd)),
        Err(e) => c.fail(e),
    }
}

/// ZADD, ZRANGE, ZSCORE, ZPOPMIN, ZUNIONSTORE, ZSCAN and friends.
pub trait SortedSetCommands: Commands {
    /// ZADD: adds or updates `(score, member)` pairs; returns how many were added.
    fn zadd<M: ToArg>(
        &self,
        key: impl ToArg,
        members: impl IntoIterator<Item = (f64, M)>,
    ) -> Self::Reply<i64> {
        self.command(zadd_command(key, ZAddOptions::default(), members))
    }

    /// ZADD with NX/XX, GT/LT and CH; returns how many were added (with CH:
    /// added or changed).
    fn zadd_with<M: ToArg>(
        &self,
        key: impl ToArg,
        options: ZAddOptions,
        members: impl IntoIterator<Item = (f64, M)>,
    ) -> Self::Reply<i64> {
        self.command(zadd_command(key, options, members))
    }

    /// ZADD ... INCR: adds `by` to one member's score; the new score, or
    /// `None` when an NX/XX/GT/LT condition stopped it.
    fn zadd_incr(
        &self,
        key: impl ToArg,
        options: ZAddOptions,
        by: f64,
        member: impl ToArg,
    ) -> Self::Reply<Option<f64>> {
        let cmd = options.apply(Command::new("ZADD").key(key)).arg("INCR");
        self.command(cmd.arg(by).arg(member))
    }

    /// ZREM: removes members; returns how many were there.
    fn zrem<M: ToArg>(
        &self,
        key: impl ToArg,
        members: impl IntoIterator<Item = M>,
    ) -> Self::Reply<i64> {
        self.command(Command::new("ZREM").key(key).args(members))
    }

    /// ZSCORE: a member's score, or `None`.
    fn zscore(&self, key: impl ToArg, member: impl ToArg) -> Self::Reply<Option<f64>> {
        self.command(Command::new("ZSCORE").key(key).arg(member))
    }

    /// ZMSCORE: the scores of several members, `None` for missing ones.
    fn zmscore<M: ToArg>(
        &self,
        key: impl ToArg,
        members: impl IntoIterator<Item = M>,
    ) -> Self::Reply<Vec<Option<f64>>> {
        self.command(Command::new("ZMSCORE").key(key).args(members))
    }

    /// ZINCRBY: adds `by` to a member's score (adding the member); the new score.
    fn zincrby(&self, key: impl ToArg, by: f64, member: impl ToArg) -> Self::Reply<f64> {
        self.command(Command::new("ZINCRBY").key(key).arg(by).arg(member))
    }

    /// ZCARD: how many members.
    fn zcard(&self, key: impl ToArg) -> Self::Reply<i64> {
        self.command(Command::new("ZCARD").key(key))
    }

    /// ZCOUNT: how many members have a score between the bounds.
    fn zcount(&self, key: impl ToArg, min: ScoreBound, max: ScoreBound) -> Self::Reply<i64> {
        self.command(Command::new("ZCOUNT").key(key).arg(min).arg(max))
    }

    /// ZLEXCOUNT: how many members lie between the lex bounds.
    fn zlexcount(&self, key: impl ToArg, min: LexBound, max: LexBound) -> Self::Reply<i64> {
        self.command(Command::new("ZLEXCOUNT").key(key).arg(min).arg(max))
    }

    /// ZRANGE: the members the query selects, in order.
    fn zrange(&self, key: impl ToArg, query: &ZRangeQuery) -> Self::Reply<Vec<Vec<u8>>> {
        self.command(query.apply(Command::new("ZRANGE").key(key)))
    }

    /// ZRANGE ... WITHSCORES: the members with their scores.
    fn zrange_with_scores(
        &self,
        key: impl ToArg,
        query: &ZRangeQuery,
    ) -> Self::Reply<ScoredMembers> {
        self.command(with_scores(query.apply(Command::new("ZRANGE").key(key))))
    }

    /// ZRANGESTORE: stores the selected members in `destination`; returns its size.
    fn zrangestore(
        &self,
        destination: impl ToArg,
        source: impl ToArg,
        query: &ZRangeQuery,
    ) -> Self::Reply<i64> {
        self.command(query.apply(Command::new("ZRANGESTORE").key(destination).key(source)))
    }

    /// ZREVRANGE: members by rank, highest score first.
    fn zrevrange(&self, key: impl ToArg, start: i64, stop: i64) -> Self::Reply<Vec<Vec<u8>>> {
        self.command(Command::new("ZREVRANGE").key(key).arg(start).arg(stop))
    }

    /// ZREVRANGE ... WITHSCORES.
    fn zrevrange_with_scores(
        &self,
        key: impl ToArg,
        start: i64,
        stop: i64,
    ) -> Self::Reply<ScoredMembers> {
        self.command(with_scores(
            Command::new("ZREVRANGE").key(key).arg(start).arg(stop),
        ))
    }

    /// ZRANGEBYSCORE: members with scores between the bounds, lowest first.
    fn zrangebyscore(
        &self,
        key: impl ToArg,
        min: ScoreBound,
        max: ScoreBound,
        limit: Option<Limit>,
    ) -> Self::Reply<Vec<Vec<u8>>> {
        let cmd = Command::new("ZRANGEBYSCORE").key(key).arg(min).arg(max);
        self.command(Limit::apply(limit, cmd))
    }

    /// ZRANGEBYSCORE ... WITHSCORES.
    fn zrangebyscore_with_scores(
        &self,
        key: impl ToArg,
        min: ScoreBound,
        max: ScoreBound,
        limit: Option<Limit>,
    ) -> Self::Reply<ScoredMembers> {
        let cmd = with_scores(Command::new("ZRANGEBYSCORE").key(key).arg(min).arg(max));
        self.command(Limit::apply(limit, cmd))
    }

    /// ZREVRANGEBYSCORE: members with scores between the bounds, highest
    /// first. Note Redis's order: the high bound comes first.
    fn zrevrangebyscore(
        &self,
        key: impl ToArg,
        max: ScoreBound,
        min: ScoreBound,
        limit: Option<Limit>,
    ) -> Self::Reply<Vec<Vec<u8>>> {
        let cmd = Command::new("ZREVRANGEBYSCORE").key(key).arg(max).arg(min);
        self.command(Limit::apply(limit, cmd))
    }

    /// ZRANGEBYLEX: members between the lex bounds.
    fn zrangebylex(
        &self,
        key: impl ToArg,
        min: LexBound,
        max: LexBound,
        limit: Option<Limit>,
    ) -> Self::Reply<Vec<Vec<u8>>> {
        let cmd = Command::new("ZRANGEBYLEX").key(key).arg(min).arg(max);
        self.command(Limit::apply(limit, cmd))
    }

    /// ZRANK: a member's rank, lowest score first; `None` when missing.
    fn zrank(&self, key: impl ToArg, member: impl ToArg) -> Self::Reply<Option<i64>> {
        self.command(Command::new("ZRANK").key(key).arg(member))
    }

    /// ZREVRANK: a member's rank, highest score first; `None` when missing.
    fn zrevrank(&self, key: impl ToArg, member: impl ToArg) -> Self::Reply<Option<i64>> {
        self.command(Command::new("ZREVRANK").key(key).arg(member))
    }

    /// ZPOPMIN: removes and returns up to `count` (1 when `None`) lowest members.
    fn zpopmin(&self, key: impl ToArg, count: Option<u64>) -> Self::Reply<ScoredMembers> {
        let cmd = Command::new("ZPOPMIN").key(key);
        self.command(match count {
            Some(n) => cmd.arg(n),
            None => cmd,
        })
    }

    /// ZPOPMAX: removes and returns up to `count` (1 when `None`) highest members.
    fn zpopmax(&self, key: impl ToArg, count: Option<u64>) -> Self::Reply<ScoredMembers> {
        let cmd = Command::new("ZPOPMAX").key(key);
        self.command(match count {
            Some(n) => cmd.arg(n),
            None => cmd,
        })
    }

    /// ZMPOP: pops up to `count` (1 when `None`) members from the first
    /// non-empty set of `keys`; that key and the members with scores, or
    /// `None` when every set is empty.
    fn zmpop<K: ToArg>(
        &self,
        keys: impl IntoIterator<Item = K>,
        from: ScoreEnd,
        count: Option<u64>,
    ) -> Self::Reply<Option<PoppedMembers>> {
        let keys: Vec<Vec<u8>> = keys.into_iter().map(|k| k.to_arg()).collect();
        let cmd = Command::new("ZMPOP")
            .arg(keys.len())
            .keys(keys)
            .arg(from.word());
        self.command(match count {
            Some(n) => cmd.arg("COUNT").arg(n),
            None => cmd,
        })
    }

    /// ZREMRANGEBYRANK: removes members ranked `start` to `stop`; how many.
    fn zremrangebyrank(&self, key: impl ToArg, start: i64, stop: i64) -> Self::Reply<i64> {
        self.command(
            Command::new("ZREMRANGEBYRANK")
                .key(key)
                .arg(start)
                .arg(stop),
        )
    }

    /// ZREMRANGEBYSCORE: removes members scored between the bounds; how many.
    fn zremrangebyscore(
        &self,
        key: impl ToArg,
        min: ScoreBound,
        max: ScoreBound,
    ) -> Self::Reply<i64> {
        self.command(Command::new("ZREMRANGEBYSCORE").key(key).arg(min).arg(max))
    }

    /// ZREMRANGEBYLEX: removes members between the lex bounds; how many.
    fn zremrangebylex(&self, key: impl ToArg, min: LexBound, max: LexBound) -> Self::Reply<i64> {
        self.command(Command::new("ZREMRANGEBYLEX").key(key).arg(min).arg(max))
    }

    /// ZUNIONSTORE: stores the union of `keys` in `destination`; returns its size.
    fn zunionstore<K: ToArg>(
        &self,
        destination: impl ToArg,
        keys: impl IntoIterator<Item = K>,
        options: &ZCombineOptions,
    ) -> Self::Reply<i64> {
        combine(
            self,
            Command::new("ZUNIONSTORE").key(destination),
            keys,
            options,
        )
    }

    /// ZINTERSTORE: stores the intersection of `keys` in `destination`; returns its size.
    fn zinterstore<K: ToArg>(
        &self,
        destination: impl ToArg,
        keys: impl IntoIterator<Item = K>,
        options: &ZCombineOptions,
    ) -> Self::Reply<i64> {
        combine(
            self,
            Command::new("ZINTERSTORE").key(destination),
            keys,
            options,
        )
    }

    /// ZDIFFSTORE: stores the members of the first key found in no other; returns its size.
    fn zdiffstore<K: ToArg>(
        &self,
        destination: impl ToArg,
        keys: impl IntoIterator<Item = K>,
    ) -> Self::Reply<i64> {
        let cmd = Command::new("ZDIFFSTORE").key(destination);
        combine(self, cmd, keys, &ZCombineOptions::default())
    }

    /// ZUNION: the union of `keys`, ordered by combined score.
    fn zunion<K: ToArg>(
        &self,
        keys: impl IntoIterator<Item = K>,
        options: &ZCombineOptions,
    ) -> Self::Reply<Vec<Vec<u8>>> {
        combine(self, Command::new("ZUNION"), keys, options)
    }

    /// ZUNION ... WITHSCORES.
    fn zunion_with_scores<K: ToArg>(
        &self,
        keys: impl IntoIterator<Item = K>,
        options: &ZCombineOptions,
    ) -> Self::Reply<ScoredMembers> {
        combine_with_scores(self, Command::new("ZUNION"), keys, options)
    }

    /// ZINTER: the intersection of `keys`, ordered by combined score.
    fn zinter<K: ToArg>(
        &self,
        keys: impl IntoIterator<Item = K>,
        options: &ZCombineOptions,
    ) -> Self::Reply<Vec<Vec<u8>>> {
        combine(self, Command::new("ZINTER"), keys, options)
    }

    /// ZINTER ... WITHSCORES.
    fn zinter_with_scores<K: ToArg>(
        &self,
        keys: impl IntoIterator<Item = K>,
        options: &ZCombineOptions,
    ) -> Self::Reply<ScoredMembers> {
        combine_with_scores(self, Command::new("ZINTER"), keys, options)
    }

    /// ZDIFF: the members of the first key found in no other.
    fn zdiff<K: ToArg>(&self, keys: impl IntoIterator<Item = K>) -> Self::Reply<Vec<Vec<u8>>> {
        combine(
            self,
            Command::new("ZDIFF"),
            keys,
            &ZCombineOptions::default(),
        )
    }

    /// ZDIFF ... WITHSCORES.
    fn zdiff_with_scores<K: ToArg>(
        &self,
        keys: impl IntoIterator<Item = K>,
    ) -> Self::Reply<ScoredMembers> {
        let options = ZCombineOptions::default();
        combine_with_scores(self, Command::new("ZDIFF"), keys, &options)
    }

    /// ZRANDMEMBER: a random member, or `None` for a missing key.
    fn zrandmember(&self, key: impl ToArg) -> Self::Reply<Option<Vec<u8>>> {
        self.command(Command::new("ZRANDMEMBER").key(key))
    }

    /// ZRANDMEMBER count: distinct members when `count` is positive, `-count`
    /// members that may repeat when it is negative.
    fn zrandmember_count(&self, key: impl ToArg, count: i64) -> Self::Reply<Vec<Vec<u8>>> {
        self.command(Command::new("ZRANDMEMBER").key(key).arg(count))
    }

    /// ZRANDMEMBER count WITHSCORES.
    fn zrandmember_with_scores(&self, key: impl ToArg, count: i64) -> Self::Reply<ScoredMembers> {
        self.command(with_scores(Command::new("ZRANDMEMBER").key(key).arg(count)))
    }

    /// ZSCAN: one page of (member, score) pairs from `cursor` (start with 0).
    fn zscan(
        &self,
        key: impl ToArg,
        cursor: u64,
        options: &MemberScanOptions,
    ) -> Self::Reply<ScanPage<ScoredMembers>> {
        self.command(options.apply(Command::new("ZSCAN").key(key).arg(cursor)))
    }
}

impl<C: Commands + ?Sized> SortedSetCommands for C {}

#[cfg(test)]
mod tests;
