//! Geospatial commands: members with a longitude and latitude, stored in a
//! sorted set; distances, geohashes and area searches.

use super::geo_options::{GeoAddOptions, GeoMatch, GeoSearch, GeoUnit, GeoWith};
use super::Commands;
use crate::protocol::{Command, ToArg};

/// GEOADD, GEODIST, GEOHASH, GEOPOS, GEOSEARCH, GEOSEARCHSTORE.
pub trait GeoCommands: Commands {
    /// GEOADD: adds or moves members, each as (longitude, latitude,
    /// member); returns how many were added (or changed, with CH).
    fn geoadd<M: ToArg>(
        &self,
        key: impl ToArg,
        options: GeoAddOptions,
        members: impl IntoIterator<Item = (f64, f64, M)>,
    ) -> Self::Reply<i64> {
        let mut cmd = options.apply(Command::new("GEOADD").key(key));
        for (lon, lat, member) in members {
            cmd = cmd.arg(lon).arg(lat).arg(member);
        }
        self.command(cmd)
    }

    /// GEODIST: the distance between two members in `unit`, or `None` when
    /// either is missing.
    fn geodist(
        &self,
        key: impl ToArg,
        member1: impl ToArg,
        member2: impl ToArg,
        unit: GeoUnit,
    ) -> Self::Reply<Option<f64>> {
        self.command(
            Command::new("GEODIST")
                .key(key)
                .arg(member1)
                .arg(member2)
                .arg(unit.word()),
        )
    }

    /// GEOHASH: each member's 11-character geohash, `None` when missing.
    fn geohash<M: ToArg>(
        &self,
        key: impl ToArg,
        members: impl IntoIterator<Item = M>,
    ) -> Self::Reply<Vec<Option<String>>> {
        self.command(Command::new("GEOHASH").key(key).args(members))
    }

    /// GEOPOS: each member's (longitude, latitude), `None` when missing.
    fn geopos<M: ToArg>(
        &self,
        key: impl ToArg,
        members: impl IntoIterator<Item = M>,
    ) -> Self::Reply<Vec<Option<(f64, f64)>>> {
        self.command(Command::new("GEOPOS").key(key).args(members))
    }

    /// GEOSEARCH: the members inside the search's area, with what `with`
    /// asks for (distance, geohash, coordinates).
    fn geosearch(
        &self,
        key: impl ToArg,
        search: &GeoSearch,
        with: GeoWith,
    ) -> Self::Reply<Vec<GeoMatch>> {
        self.command(with.apply(search.apply(Command::new("GEOSEARCH").key(key))))
    }

    /// GEOSEARCHSTORE: stores the matches of a search of `source` in
    /// `destination` (with `store_dist`, as a sorted set scored by distance,
    /// STOREDIST); returns how many were stored.
    fn geosearchstore(
        &self,
        destination: impl ToArg,
        source: impl ToArg,
        search: &GeoSearch,
        store_dist: bool,
    ) -> Self::Reply<i64> {
        let cmd = search.apply(Command::new("GEOSEARCHSTORE").key(destination).key(source));
        self.command(if store_dist {
            cmd.arg("STOREDIST")
        } else {
            cmd
        })
    }
}

impl<C: Commands + ?Sized> GeoCommands for C {}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::commands::geo_options::{GeoFrom, GeoShape};
    use crate::commands::recorder::{assert_wire, render, Recorder};
    use crate::protocol::{FromValue, Value};

    #[test]
    fn builds_geo_commands() {
        let r = Recorder;
        assert_wire!(
            r.geoadd("g", GeoAddOptions::default(), [(13.5, 52.25, "berlin")]),
            ["GEOADD", "@g", "13.5", "52.25", "berlin"]
        );
        assert_wire!(
            r.geoadd(
                "g",
                GeoAddOptions::default().nx().ch(),
                [(1.0, 2.0, "a"), (3.0, 4.0, "b")]
            ),
            ["GEOADD", "@g", "NX", "CH", "1", "2", "a", "3", "4", "b"]
        );
        assert_wire!(
            r.geoadd("g", GeoAddOptions::default().xx(), [(1.0, 2.0, "a")]),
            ["GEOADD", "@g", "XX", "1", "2", "a"]
        );
        let units = [
            (GeoUnit::Meters, "M"),
            (GeoUnit::Kilometers, "KM"),
            (GeoUnit::Feet, "FT"),
            (GeoUnit::Miles, "MI"),
        ];
        for (unit, word) in units {
            assert_wire!(
                r.geodist("g", "a", "b", unit),
                ["GEODIST", "@g", "a", "b", word]
            );
        }
        assert_wire!(r.geohash("g", ["a", "b"]), ["GEOHASH", "@g", "a", "b"]);
        assert_wire!(r.geopos("g", ["a"]), ["GEOPOS", "@g", "a"]);
    }

    /// The command's expected wire parts, from pieces.
    fn wire(pieces: &[&[&str]]) -> Vec<String> {
        pieces.concat().into_iter().map(String::from).collect()
    }

    #[test]
    fn builds_geo_searches() {
        let r = Recorder;
        let around = GeoSearch::new(
            GeoFrom::Member(b"a".to_vec()),
            GeoShape::Radius(5.0, GeoUnit::Kilometers),
        );
        let from_a = ["FROMMEMBER", "a", "BYRADIUS", "5", "KM"];
        assert_eq!(
            render(r.geosearch("g", &around, GeoWith::default())),
            wire(&[&["GEOSEARCH", "@g"], &from_a])
        );
        let boxed = GeoSearch::new(
            GeoFrom::LonLat(13.5, 52.5),
            GeoShape::Box(2.0, 3.5, GeoUnit::Miles),
        )
        .asc()
        .count(10);
        let from_lonlat = ["FROMLONLAT", "13.5", "52.5", "BYBOX", "2", "3.5", "MI"];
        let with_all = ["WITHCOORD", "WITHDIST", "WITHHASH"];
        assert_eq!(
            render(r.geosearch("g", &boxed, GeoWith::default().coord().dist().hash())),
            wire(&[
                &["GEOSEARCH", "@g"],
                &from_lonlat,
                &["ASC", "COUNT", "10"],
                &with_all
            ])
        );
        let any = around.clone().desc().count_any(3);
        let desc_any = ["DESC", "COUNT", "3", "ANY"];
        assert_eq!(
            render(r.geosearch("g", &any, GeoWith::default().dist())),
            wire(&[&["GEOSEARCH", "@g"], &from_a, &desc_any, &["WITHDIST"]])
        );
        assert_eq!(
            render(r.geosearchstore("d", "g", &around, false)),
            wire(&[&["GEOSEARCHSTORE", "@d", "@g"], &from_a])
        );
        assert_eq!(
            render(r.geosearchstore("d", "g", &any, true)),
            wire(&[
                &["GEOSEARCHSTORE", "@d", "@g"],
                &from_a,
                &desc_any,
                &["STOREDIST"]
            ])
        );
    }

    #[test]
    fn reads_geo_matches() {
        let bare = GeoMatch::from_value(Value::bytes("a"));
        assert_eq!(
            bare.map(|m| (m.member, m.dist, m.hash, m.coord)),
            Ok((b"a".to_vec(), None, None, None))
        );
        let full = GeoMatch::from_value(Value::Array(vec![
            Value::bytes("a"),
            Value::bytes("1.5"),
            Value::Int(42),
            Value::Array(vec![Value::bytes("13.5"), Value::bytes("52.5")]),
        ]));
        assert_eq!(
            full.map(|m| (m.member, m.dist, m.hash, m.coord)),
            Ok((b"a".to_vec(), Some(1.5), Some(42), Some((13.5, 52.5))))
        );
        let twice = GeoMatch::from_value(Value::Array(vec![
            Value::bytes("a"),
            Value::Int(1),
            Value::Int(2),
        ]));
        assert!(twice.is_err());
        assert!(GeoMatch::from_value(Value::Array(vec![])).is_err());
    }
}
