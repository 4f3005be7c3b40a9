//! PFADD, PFCOUNT, PFMERGE.

use edgestash::prelude::*;

use super::{ensure_eq, key, Outcome};

pub(super) async fn run(c: &Client, p: &str) -> Outcome {
    let (h1, h2, d) = (key(p, "h1"), key(p, "h2"), key(p, "d"));
    ensure_eq!(c.pfadd(&h1, ["a", "b", "c"]).await?, true);
    ensure_eq!(c.pfadd(&h1, ["a"]).await?, false);
    ensure_eq!(c.pfcount([&h1]).await?, 3);
    c.pfadd(&h2, ["c", "d"]).await?;
    // Small sets are counted exactly.
    ensure_eq!(c.pfcount([&h1, &h2]).await?, 4);
    c.pfmerge(&d, [&h1, &h2]).await?;
    ensure_eq!(c.pfcount([&d]).await?, 4);
    ensure_eq!(c.pfcount([&key(p, "missing")]).await?, 0);
    c.del([&h1, &h2, &d]).await?;
    Ok(())
}
