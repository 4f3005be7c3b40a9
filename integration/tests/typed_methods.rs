//! The typed methods of the commands redis-server 7.0 has that the Rust
//! client gained for `@upstash/redis` parity (BITFIELD, BITOP, BITPOS,
//! HMSET, the GEO* family, XINFO, FLUSHALL), run through edgestash-server
//! over a real redis-server, their typed replies checked. Their wire shapes
//! (every option) are unit-tested in `src/commands/`.

use edgestash::prelude::*;
use edgestash_integration::{EdgeServer, RedisServer};

type TestResult = std::result::Result<(), Box<dyn std::error::Error>>;

async fn client_over_redis(
) -> std::result::Result<(RedisServer, EdgeServer, Client), Box<dyn std::error::Error>> {
    let redis = RedisServer::start()?;
    let server = EdgeServer::start_redis(&redis, "typed-token")?;
    let client = Client::new(Config::new(&server.url(), server.token())?)?;
    Ok((redis, server, client))
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() < 1e-3
}

#[tokio::test]
async fn bitmap_methods_reply_typed() -> TestResult {
    let (_redis, _server, client) = client_over_redis().await?;
    let fields = BitField::new()
        .set(BitFieldType::Unsigned(8), BitOffset::Bit(0), 200)
        .get(BitFieldType::Unsigned(8), BitOffset::Bit(0))
        .overflow(BitFieldOverflow::Sat)
        .incrby(BitFieldType::Unsigned(8), BitOffset::Field(0), 100)
        .overflow(BitFieldOverflow::Fail)
        .incrby(BitFieldType::Unsigned(8), BitOffset::Field(0), 1)
        .overflow(BitFieldOverflow::Wrap)
        .incrby(BitFieldType::Signed(4), BitOffset::Field(2), 9);
    assert_eq!(
        client.bitfield("bf", &fields).await?,
        vec![Some(0), Some(200), Some(255), None, Some(-7)]
    );

    client.set("a", vec![0xffu8, 0x00]).await?;
    client.set("b", vec![0x0fu8]).await?;
    assert_eq!(client.bitop(BitOp::And, "and", ["a", "b"]).await?, 2);
    assert_eq!(client.get("and").await?, Some(vec![0x0f, 0x00]));
    assert_eq!(client.bitop(BitOp::Or, "or", ["a", "b"]).await?, 2);
    assert_eq!(client.get("or").await?, Some(vec![0xff, 0x00]));
    assert_eq!(client.bitop(BitOp::Xor, "xor", ["a", "b"]).await?, 2);
    assert_eq!(client.get("xor").await?, Some(vec![0xf0, 0x00]));
    assert_eq!(client.bitop(BitOp::Not, "not", ["b"]).await?, 1);
    assert_eq!(client.get("not").await?, Some(vec![0xf0]));

    // "and" is 00001111 00000000.
    assert_eq!(client.bitpos("and", true).await?, 4);
    assert_eq!(client.bitpos("and", false).await?, 0);
    assert_eq!(client.bitpos_from("and", true, 1).await?, -1);
    assert_eq!(client.bitpos_from("and", false, 1).await?, 8);
    assert_eq!(
        client
            .bitpos_range("and", true, 5, 15, BitUnit::Bit)
            .await?,
        5
    );
    assert_eq!(
        client
            .bitpos_range("and", true, 1, 1, BitUnit::Byte)
            .await?,
        -1
    );
    assert_eq!(client.bitpos("missing", true).await?, -1);
    Ok(())
}

#[tokio::test]
async fn hmset_and_flushall_reply_typed() -> TestResult {
    let (_redis, _server, client) = client_over_redis().await?;
    client.hmset("h", [("f", "1"), ("g", "2")]).await?;
    assert_eq!(
        client.hmget("h", ["f", "g"]).await?,
        vec![Some(b"1".to_vec()), Some(b"2".to_vec())]
    );
    client.set("k", "v").await?;
    assert_eq!(client.dbsize().await?, 2);
    client.flushall(Some(FlushMode::Sync)).await?;
    assert_eq!(client.dbsize().await?, 0);
    client.set("k", "v").await?;
    client.flushall(Some(FlushMode::Async)).await?;
    client.flushall(None).await?;
    assert_eq!(client.exists(["k"]).await?, 0);
    Ok(())
}

#[tokio::test]
async fn geo_methods_reply_typed() -> TestResult {
    let (_redis, _server, client) = client_over_redis().await?;
    let sicily = [
        (13.361389, 38.115556, "Palermo"),
        (15.087269, 37.502669, "Catania"),
    ];
    assert_eq!(
        client
            .geoadd("sicily", GeoAddOptions::default(), sicily)
            .await?,
        2
    );
    // XX CH: moving an existing member counts as a change; NX adds nothing known.
    assert_eq!(
        client
            .geoadd(
                "sicily",
                GeoAddOptions::default().xx().ch(),
                [(13.361389, 38.2, "Palermo")]
            )
            .await?,
        1
    );
    assert_eq!(
        client
            .geoadd(
                "sicily",
                GeoAddOptions::default().nx(),
                [(13.361389, 38.115556, "Palermo")]
            )
            .await?,
        0
    );
    client
        .geoadd(
            "sicily",
            GeoAddOptions::default().xx(),
            [(13.361389, 38.115556, "Palermo")],
        )
        .await?;

    let km = client
        .geodist("sicily", "Palermo", "Catania", GeoUnit::Kilometers)
        .await?;
    assert!(km.is_some_and(|d| close(d, 166.2742)), "{km:?}");
    let m = client
        .geodist("sicily", "Palermo", "Catania", GeoUnit::Meters)
        .await?;
    assert!(m.is_some_and(|d| close(d, 166274.1516)), "{m:?}");
    assert_eq!(
        client
            .geodist("sicily", "Palermo", "Rome", GeoUnit::Miles)
            .await?,
        None
    );

    assert_eq!(
        client
            .geohash("sicily", ["Palermo", "Catania", "Rome"])
            .await?,
        vec![
            Some("sqc8b49rny0".to_owned()),
            Some("sqdtr74hyu0".to_owned()),
            None
        ]
    );
    let pos = client.geopos("sicily", ["Palermo", "Rome"]).await?;
    assert_eq!(pos.len(), 2);
    assert!(
        pos[0].is_some_and(|(lon, lat)| close(lon, 13.361389) && close(lat, 38.115556)),
        "{pos:?}"
    );
    assert_eq!(pos[1], None);

    let around = GeoSearch::new(
        GeoFrom::LonLat(15.0, 37.0),
        GeoShape::Radius(200.0, GeoUnit::Kilometers),
    )
    .asc();
    let matches = client
        .geosearch("sicily", &around, GeoWith::default().dist().coord().hash())
        .await?;
    let names: Vec<&[u8]> = matches.iter().map(|m| m.member.as_slice()).collect();
    assert_eq!(names, vec![b"Catania".as_slice(), b"Palermo".as_slice()]);
    assert!(
        matches[0].dist.is_some_and(|d| close(d, 56.4413)),
        "{matches:?}"
    );
    assert!(
        matches[1].dist.is_some_and(|d| close(d, 190.4424)),
        "{matches:?}"
    );
    assert_eq!(matches[0].hash, Some(3479447370796909));
    assert!(matches[0]
        .coord
        .is_some_and(|(lon, lat)| close(lon, 15.087269) && close(lat, 37.502669)));
    let bare = client
        .geosearch(
            "sicily",
            &around.clone().desc().count(1),
            GeoWith::default(),
        )
        .await?;
    assert_eq!(bare.len(), 1);
    assert_eq!(bare[0].member, b"Palermo".to_vec());
    assert_eq!(
        (bare[0].dist, bare[0].hash, bare[0].coord),
        (None, None, None)
    );
    let boxed = GeoSearch::new(
        GeoFrom::Member(b"Palermo".to_vec()),
        GeoShape::Box(400.0, 400.0, GeoUnit::Kilometers),
    )
    .count_any(5);
    assert_eq!(
        client
            .geosearch("sicily", &boxed, GeoWith::default())
            .await?
            .len(),
        2
    );

    assert_eq!(
        client
            .geosearchstore("near", "sicily", &around, false)
            .await?,
        2
    );
    assert_eq!(client.geopos("near", ["Catania"]).await?.len(), 1);
    assert_eq!(
        client
            .geosearchstore("dists", "sicily", &around, true)
            .await?,
        2
    );
    let score = client.zscore("dists", "Catania").await?;
    assert!(score.is_some_and(|d| close(d, 56.4413)), "{score:?}");
    Ok(())
}

#[tokio::test]
async fn xinfo_methods_reply_typed() -> TestResult {
    let (_redis, _server, client) = client_over_redis().await?;
    let empty = client.xinfo_stream("missing").await;
    assert!(matches!(empty, Err(Error::Redis { .. })), "{empty:?}");

    let first = client.xadd("s", "1-1", [("f", "a")]).await?;
    client.xadd("s", "2-1", [("f", "b")]).await?;
    client.xgroup_create("s", "g", "0", false).await?;
    client
        .xreadgroup("g", "alice", Some(1), false, [("s", ">")])
        .await?;

    let info = client.xinfo_stream("s").await?;
    assert_eq!(info.length, 2);
    assert_eq!(info.groups, 1);
    assert_eq!(info.last_generated_id, "2-1");
    assert_eq!(info.entries_added, Some(2));
    assert_eq!(info.max_deleted_entry_id.as_deref(), Some("0-0"));
    assert_eq!(info.recorded_first_entry_id.as_deref(), Some("1-1"));
    let (id, fields) = info.first_entry.ok_or("no first entry")?;
    assert_eq!(id, first);
    assert_eq!(fields.into_inner(), vec![(b"f".to_vec(), b"a".to_vec())]);
    assert_eq!(info.last_entry.map(|e| e.0).as_deref(), Some("2-1"));
    assert!(info.radix_tree_keys >= 1 && info.radix_tree_nodes >= 1);

    let groups = client.xinfo_groups("s").await?;
    assert_eq!(groups.len(), 1);
    assert_eq!(groups[0].name, "g");
    assert_eq!(groups[0].consumers, 1);
    assert_eq!(groups[0].pending, 1);
    assert_eq!(groups[0].last_delivered_id, "1-1");
    assert_eq!(groups[0].entries_read, Some(1));
    assert_eq!(groups[0].lag, Some(1));

    let consumers = client.xinfo_consumers("s", "g").await?;
    assert_eq!(consumers.len(), 1);
    assert_eq!(consumers[0].name, "alice");
    assert_eq!(consumers[0].pending, 1);
    assert!(consumers[0].idle_ms >= 0);

    let full = client.xinfo_stream_full("s", Some(1)).await?;
    let Value::Array(items) = full else {
        return Err(format!("XINFO STREAM FULL: {full:?}").into());
    };
    assert!(items.contains(&Value::bytes("entries")));
    assert!(matches!(
        client.xinfo_stream_full("s", None).await?,
        Value::Array(_)
    ));
    Ok(())
}

/// The multi-key methods stay inside a workspace; FLUSHALL is refused there
/// before anything is sent.
#[tokio::test]
async fn workspace_scopes_the_new_methods() -> TestResult {
    let (_redis, _server, client) = client_over_redis().await?;
    let scoped = client.workspace("w1")?;
    scoped.set("a", vec![0x0fu8]).await?;
    assert_eq!(scoped.bitop(BitOp::Not, "not", ["a"]).await?, 1);
    scoped
        .geoadd(
            "g",
            GeoAddOptions::default(),
            [(13.361389, 38.115556, "Palermo")],
        )
        .await?;
    let search = GeoSearch::new(
        GeoFrom::Member(b"Palermo".to_vec()),
        GeoShape::Radius(1.0, GeoUnit::Kilometers),
    );
    assert_eq!(scoped.geosearchstore("near", "g", &search, false).await?, 1);
    scoped.xadd("s", "1-1", [("f", "a")]).await?;
    assert_eq!(scoped.xinfo_stream("s").await?.length, 1);
    assert_eq!(
        client
            .exists(["ws:w1:not", "ws:w1:near", "ws:w1:s"])
            .await?,
        3
    );
    assert_eq!(client.exists(["not", "near", "s"]).await?, 0);
    let refused = scoped.flushall(None).await;
    assert!(
        matches!(refused, Err(Error::Namespace { .. })),
        "{refused:?}"
    );
    assert_eq!(client.exists(["ws:w1:a"]).await?, 1);
    Ok(())
}
