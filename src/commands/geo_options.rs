//! Options and replies of the geospatial commands: units, GEOADD's flags,
//! GEOSEARCH's centre, shape, order and count, and its per-match reply.

use super::sorted_set_options::ZAddOptions;
use crate::error::Error;
use crate::protocol::{Command, FromValue, Value};

/// A distance unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum GeoUnit {
    /// M: metres.
    Meters,
    /// KM: kilometres.
    Kilometers,
    /// FT: feet.
    Feet,
    /// MI: miles.
    Miles,
}

impl GeoUnit {
    pub(crate) fn word(self) -> &'static str {
        match self {
            Self::Meters => "M",
            Self::Kilometers => "KM",
            Self::Feet => "FT",
            Self::Miles => "MI",
        }
    }
}

/// Flags of GEOADD: `GeoAddOptions::default().xx().ch()`. ZADD's flags
/// without GT/LT, which GEOADD does not take.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct GeoAddOptions(ZAddOptions);

impl GeoAddOptions {
    /// NX: only add new members.
    pub fn nx(self) -> Self {
        Self(self.0.nx())
    }
    /// XX: only update existing members.
    pub fn xx(self) -> Self {
        Self(self.0.xx())
    }
    /// CH: the reply counts changed members too.
    pub fn ch(self) -> Self {
        Self(self.0.ch())
    }

    pub(crate) fn apply(&self, cmd: Command) -> Command {
        self.0.apply(cmd)
    }
}

/// Where a GEOSEARCH is centred.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum GeoFrom {
    /// FROMMEMBER: the position of a member of the set.
    Member(Vec<u8>),
    /// FROMLONLAT: a longitude and a latitude.
    LonLat(f64, f64),
}

/// The area a GEOSEARCH covers.
#[derive(Debug, Clone, Copy, PartialEq)]
#[non_exhaustive]
pub enum GeoShape {
    /// BYRADIUS: a circle of this radius.
    Radius(f64, GeoUnit),
    /// BYBOX: an axis-aligned rectangle, width and height.
    Box(f64, f64, GeoUnit),
}

/// ASC / DESC: nearest or farthest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum GeoOrder {
    /// ASC: nearest first.
    Asc,
    /// DESC: farthest first.
    Desc,
}

/// What GEOSEARCH and GEOSEARCHSTORE look for:
/// `GeoSearch::new(GeoFrom::LonLat(13.4, 52.5), GeoShape::Radius(5.0, GeoUnit::Kilometers)).asc().count(10)`.
/// Without an order, matches come unsorted.
#[derive(Debug, Clone, PartialEq)]
pub struct GeoSearch {
    /// The centre.
    pub from: GeoFrom,
    /// The area.
    pub shape: GeoShape,
    /// ASC or DESC, if any.
    pub order: Option<GeoOrder>,
    /// COUNT n, and whether ANY (stop at the first n found, not the n nearest).
    pub count: Option<(u64, bool)>,
}

impl GeoSearch {
    /// A search of `shape` around `from`, unsorted and unlimited.
    pub fn new(from: GeoFrom, shape: GeoShape) -> Self {
        Self {
            from,
            shape,
            order: None,
            count: None,
        }
    }
    /// ASC: nearest first.
    pub fn asc(mut self) -> Self {
        self.order = Some(GeoOrder::Asc);
        self
    }
    /// DESC: farthest first.
    pub fn desc(mut self) -> Self {
        self.order = Some(GeoOrder::Desc);
        self
    }
    /// COUNT n: at most the `n` nearest.
    pub fn count(mut self, n: u64) -> Self {
        self.count = Some((n, false));
        self
    }
    /// COUNT n ANY: the first `n` found, which need not be the nearest.
    pub fn count_any(mut self, n: u64) -> Self {
        self.count = Some((n, true));
        self
    }

    pub(crate) fn apply(&self, cmd: Command) -> Command {
        let cmd = match &self.from {
            GeoFrom::Member(m) => cmd.arg("FROMMEMBER").arg(m),
            GeoFrom::LonLat(lon, lat) => cmd.arg("FROMLONLAT").arg(*lon).arg(*lat),
        };
        let cmd = match self.shape {
            GeoShape::Radius(r, unit) => cmd.arg("BYRADIUS").arg(r).arg(unit.word()),
            GeoShape::Box(w, h, unit) => cmd.arg("BYBOX").arg(w).arg(h).arg(unit.word()),
        };
        let cmd = match self.order {
            Some(GeoOrder::Asc) => cmd.arg("ASC"),
            Some(GeoOrder::Desc) => cmd.arg("DESC"),
            None => cmd,
        };
        match self.count {
            Some((n, true)) => cmd.arg("COUNT").arg(n).arg("ANY"),
            Some((n, false)) => cmd.arg("COUNT").arg(n),
            None => cmd,
        }
    }
}

/// What GEOSEARCH adds to each match: `GeoWith::default().dist().coord()`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct GeoWith {
    /// WITHCOORD: the member's longitude and latitude.
    pub coord: bool,
    /// WITHDIST: the distance from the centre, in the shape's unit.
    pub dist: bool,
    /// WITHHASH: the raw 52-bit geohash score.
    pub hash: bool,
}

impl GeoWith {
    /// WITHCOORD.
    pub fn coord(mut self) -> Self {
        self.coord = true;
        self
    }
    /// WITHDIST.
    pub fn dist(mut self) -> Self {
        self.dist = true;
        self
    }
    /// WITHHASH.
    pub fn hash(mut self) -> Self {
        self.hash = true;
        self
    }

    pub(crate) fn apply(self, mut cmd: Command) -> Command {
        if self.coord {
            cmd = cmd.arg("WITHCOORD");
        }
        if self.dist {
            cmd = cmd.arg("WITHDIST");
        }
        if self.hash {
            cmd = cmd.arg("WITHHASH");
        }
        cmd
    }
}

/// One GEOSEARCH match: the member and what [`GeoWith`] asked for.
#[derive(Debug, Clone, PartialEq)]
pub struct GeoMatch {
    /// The member.
    pub member: Vec<u8>,
    /// WITHDIST: the distance from the centre.
    pub dist: Option<f64>,
    /// WITHHASH: the geohash score.
    pub hash: Option<i64>,
    /// WITHCOORD: longitude and latitude.
    pub coord: Option<(f64, f64)>,
}

/// A bare member (no WITH option), or `[member, dist?, hash?, [lon, lat]?]`:
/// Redis sends them in that order, one reply type each.
impl FromValue for GeoMatch {
    fn from_value(value: Value) -> Result<Self, Error> {
        let items = match value {
            Value::Array(items) => items,
            member => vec![member],
        };
        let mut items = items.into_iter();
        let member = Vec::<u8>::from_value(items.next().unwrap_or(Value::Nil))?;
        let mut found = Self {
            member,
            dist: None,
            hash: None,
            coord: None,
        };
        for item in items {
            match item {
                Value::Int(h) if found.hash.is_none() => found.hash = Some(h),
                Value::Array(_) if found.coord.is_none() => {
                    found.coord = Some(<(f64, f64)>::from_value(item)?);
                }
                Value::Bytes(_) if found.dist.is_none() => {
                    found.dist = Some(f64::from_value(item)?)
                }
                other => {
                    return Err(Error::UnexpectedReply {
                        command: None,
                        expected: "GEOSEARCH match [member, dist?, hash?, coord?]",
                        got: other.type_name(),
                    })
                }
            }
        }
        Ok(found)
    }
}
