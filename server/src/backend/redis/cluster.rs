//! Running commands on a Redis Cluster: which slot each goes to, and how
//! singles, pipelines and transactions travel.
//!
//! Owns: finding a command's first key (the same positions redis-rs's own
//! router uses) and sending the command to that key's primary. Multi-key
//! commands go to their first key's slot *unsplit*, so when their keys span
//! slots Redis itself answers `CROSSSLOT` and that text reaches the HTTP
//! client unchanged (redis-rs's default router would split MGET/DEL across
//! nodes, which hides the error and is not atomic). Keyless and
//! every-node commands (PING, DBSIZE, KEYS, FLUSHDB, SCRIPT LOAD...) use
//! redis-rs's routing, which fans them out and combines the replies.
//!
//! Pipelines run as consecutive same-slot runs, each one routed pipeline,
//! in order; a keyless command runs on its own. A transaction must stay in
//! one slot (use hash tags: `{user1}:a`, `{user1}:b`); one that does not is
//! refused with Redis's CROSSSLOT text before anything is sent. MULTI, the
//! commands and EXEC go out as one write on the slot owner's multiplexed
//! connection, so no other request lands between them.
//!
//! Must not: retry a command that may have run, or rewrite Redis's replies.

use ::redis::aio::ConnectionLike;
use ::redis::cluster_async::ClusterConnection;
use ::redis::cluster_routing::{Route, RoutingInfo, SingleNodeRoutingInfo, SlotAddr};
use ::redis::{Cmd, Pipeline, RedisResult, Value as RValue};

use super::build;

/// Redis's own text for a request whose keys are in several slots.
pub const CROSSSLOT: &str = "CROSSSLOT Keys in request don't hash to the same slot";

/// Where one command goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    /// The primary serving this route's slot.
    Slot(Route),
    /// No key: redis-rs's router decides (one node, or all and combined).
    Anywhere,
}

/// The target of a command given as its parts, name first.
pub fn target(parts: &[Vec<u8>]) -> Target {
    match first_key(parts) {
        Some(key) => Target::Slot(Route::with_key(key, SlotAddr::Master)),
        None => Target::Anywhere,
    }
}

/// The first key of a command: the lowest position its catalogue key specs
/// find (`edgestash::catalog`); `None` for keyless commands and arguments
/// that do not hold the keys they promise. A command unknown to the
/// catalogue (a module's) routes by its first argument, as redis-rs does.
fn first_key(parts: &[Vec<u8>]) -> Option<&[u8]> {
    use edgestash::catalog;
    let Some(record) = catalog::resolve(parts) else {
        return parts.get(1).map(Vec::as_slice);
    };
    let at = catalog::key_positions(record.keys, parts)
        .ok()?
        .into_iter()
        .min()?;
    parts.get(at).map(Vec::as_slice)
}

fn to_node(route: Route) -> SingleNodeRoutingInfo {
    SingleNodeRoutingInfo::SpecificNode(route)
}

/// Runs one command where [`target`] says.
pub async fn single(conn: &mut ClusterConnection, parts: &[Vec<u8>]) -> RedisResult<RValue> {
    let cmd = build(parts);
    match target(parts) {
        Target::Slot(route) => {
            conn.route_command(cmd, RoutingInfo::SingleNode(to_node(route)))
                .await
        }
        Target::Anywhere => conn.req_packed_command(&cmd).await,
    }
}

/// Runs a non-atomic pipeline as consecutive same-slot runs, in order; one
/// value per command.
pub async fn pipeline(
    conn: &mut ClusterConnection,
    cmds: &[Vec<Vec<u8>>],
) -> RedisResult<Vec<RValue>> {
    let mut out = Vec::with_capacity(cmds.len());
    let mut start = 0;
    while start < cmds.len() {
        let Target::Slot(route) = target(&cmds[start]) else {
            out.push(single(conn, &cmds[start]).await?);
            start += 1;
            continue;
        };
        let end = cmds[start..]
            .iter()
            .position(|c| target(c) != Target::Slot(route))
            .map_or(cmds.len(), |n| start + n);
        let mut pipe = Pipeline::new();
        for c in &cmds[start..end] {
            pipe.add_command(build(c));
        }
        let values = conn
            .route_pipeline(pipe, 0, end - start, to_node(route))
            .await?;
        out.extend(values);
        start = end;
    }
    Ok(out)
}

/// Runs MULTI, `cmds`, EXEC on the primary of their common slot and returns
/// the raw replies (MULTI's, one per command, EXEC's). `Err(text)`: the
/// commands are not in one slot, nothing was sent.
pub async fn multi_exec(
    conn: &mut ClusterConnection,
    cmds: &[Vec<Vec<u8>>],
) -> Result<RedisResult<Vec<RValue>>, String> {
    let mut route = None;
    for c in cmds {
        if let Target::Slot(r) = target(c) {
            match route {
                None => route = Some(r),
                Some(existing) if existing != r => return Err(CROSSSLOT.to_owned()),
                Some(_) => {}
            }
        }
    }
    let mut pipe = Pipeline::new();
    pipe.add_command(Cmd::new().arg("MULTI").to_owned());
    for c in cmds {
        pipe.add_command(build(c));
    }
    pipe.add_command(Cmd::new().arg("EXEC").to_owned());
    let node = match route {
        Some(r) => to_node(r),
        // Keyless transaction (PING, ECHO): any primary.
        None => SingleNodeRoutingInfo::RandomPrimary,
    };
    Ok(conn.route_pipeline(pipe, 0, cmds.len() + 2, node).await)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parts(words: &[&str]) -> Vec<Vec<u8>> {
        words.iter().map(|w| w.as_bytes().to_vec()).collect()
    }

    fn slot_of(key: &str) -> Target {
        Target::Slot(Route::with_key(key, SlotAddr::Master))
    }

    #[test]
    fn finds_the_first_key() {
        assert_eq!(target(&parts(&["SET", "a", "1"])), slot_of("a"));
        assert_eq!(target(&parts(&["mget", "b", "c"])), slot_of("b"));
        assert_eq!(
            target(&parts(&["EVAL", "return 1", "1", "k"])),
            slot_of("k")
        );
        assert_eq!(target(&parts(&["EVALSHA", "abc", "0"])), Target::Anywhere);
        assert_eq!(target(&parts(&["ZUNION", "2", "z1", "z2"])), slot_of("z1"));
        assert_eq!(target(&parts(&["BITOP", "AND", "d", "s"])), slot_of("d"));
        assert_eq!(target(&parts(&["OBJECT", "ENCODING", "o"])), slot_of("o"));
        assert_eq!(target(&parts(&["MEMORY", "USAGE", "m"])), slot_of("m"));
        assert_eq!(
            target(&parts(&["XREAD", "COUNT", "1", "STREAMS", "s", "0"])),
            slot_of("s")
        );
        for keyless in [
            &["PING"][..],
            &["DBSIZE"],
            &["KEYS", "*"],
            &["SCAN", "0"],
            &["TIME"],
        ] {
            assert_eq!(target(&parts(keyless)), Target::Anywhere, "{keyless:?}");
        }
    }

    #[test]
    fn hash_tags_share_a_slot() {
        assert_eq!(
            target(&parts(&["SET", "{u1}:a", "1"])),
            target(&parts(&["INCR", "{u1}:b"]))
        );
        assert_ne!(target(&parts(&["GET", "a"])), target(&parts(&["GET", "b"])));
    }
}
