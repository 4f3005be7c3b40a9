//! FLUSHDB, and what an empty database answers. Wipes every key: run last,
//! on a database no other test uses at the same time.

use edgestash::prelude::*;

use super::{ensure, ensure_eq, key, Outcome};

pub(super) async fn run(c: &Client, p: &str) -> Outcome {
    c.set(key(p, "k"), "v").await?;
    ensure!(c.dbsize().await? >= 1);
    c.flushdb().await?;
    ensure_eq!(c.dbsize().await?, 0);
    ensure_eq!(c.randomkey().await?, None);
    ensure_eq!(c.keys("*").await?, Vec::<Vec<u8>>::new());
    Ok(())
}
