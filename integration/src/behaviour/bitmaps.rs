//! SETBIT, GETBIT, BITCOUNT.

use edgestash::prelude::*;

use super::{b, ensure_eq, key, Outcome};

pub(super) async fn run(c: &Client, p: &str) -> Outcome {
    let k = key(p, "bits");
    ensure_eq!(c.setbit(&k, 7, true).await?, false);
    ensure_eq!(c.setbit(&k, 7, true).await?, true);
    ensure_eq!(c.getbit(&k, 7).await?, true);
    ensure_eq!(c.getbit(&k, 6).await?, false);
    ensure_eq!(c.getbit(&k, 1000).await?, false);
    // Bit 7 is the lowest bit of the first byte: the value is "\x01".
    ensure_eq!(c.get(&k).await?, Some(vec![1u8]));

    c.set(&k, "foobar").await?;
    ensure_eq!(c.bitcount(&k).await?, 26);
    ensure_eq!(c.bitcount_range(&k, 1, 1, BitUnit::Byte).await?, 6);
    ensure_eq!(c.bitcount_range(&k, 5, 30, BitUnit::Bit).await?, 17);
    ensure_eq!(c.bitcount(key(p, "missing")).await?, 0);
    ensure_eq!(c.getrange(&k, 0, 0).await?, b("f"));

    c.del([&k]).await?;
    Ok(())
}
