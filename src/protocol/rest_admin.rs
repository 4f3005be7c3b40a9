//! Server administration refused over REST unless the operator allows it.
//!
//! The lead folds this list into the command catalogue (`src/catalog/`,
//! with `rest_policy.rs`) when merging; until then edgestash-server asks
//! [`admin_refusal`] after the REST policy.
//!
//! Upstash does not offer these to a database token: they re-point
//! replication at any host (REPLICAOF), send values anywhere (MIGRATE),
//! change or read the server's configuration and secrets (CONFIG), load
//! code (MODULE), stall or stop the server (DEBUG, SAVE, SHUTDOWN,
//! FAILOVER) or swap every tenant's data (SWAPDB). ACL is not listed:
//! edgestash's workspace provisioning runs ACL SETUSER over REST. A data
//! token must not run them; an operator who really wants one over REST
//! names it (`--allow-admin-commands`).
//!
//! Owns: the list and the refusal text. Must not: do I/O, or put argument
//! values in the error text (it names the command only).

/// Server administration commands, upper case.
pub const ADMIN_COMMANDS: &[&str] = &[
    "BGREWRITEAOF",
    "BGSAVE",
    "CONFIG",
    "DEBUG",
    "FAILOVER",
    "LATENCY",
    "MIGRATE",
    "MODULE",
    "PFDEBUG",
    "PFSELFTEST",
    "REPLCONF",
    "REPLICAOF",
    "SAVE",
    "SHUTDOWN",
    "SLAVEOF",
    "SLOWLOG",
    "SWAPDB",
];

/// Whether `name` is one of [`ADMIN_COMMANDS`] (any case).
pub fn is_admin_command(name: &str) -> bool {
    ADMIN_COMMANDS.iter().any(|c| c.eq_ignore_ascii_case(name))
}

/// Why `name` may not run over REST when the operator allowed only
/// `allowed` (upper case names) of the administration commands; `None`
/// when it may.
///
/// The text starts as Upstash's refusals do and names the flag:
/// `ERR Command is not allowed over REST: 'config' (server administration; see --allow-admin-commands)`.
pub fn admin_refusal<S: AsRef<str>>(name: &str, allowed: &[S]) -> Option<String> {
    let refused = is_admin_command(name)
        && !allowed
            .iter()
            .any(|a| a.as_ref().eq_ignore_ascii_case(name));
    refused.then(|| {
        format!(
            "ERR Command is not allowed over REST: '{}' (server administration; see --allow-admin-commands)",
            name.to_ascii_lowercase()
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn administration_is_refused_unless_allowed() {
        let none: &[&str] = &[];
        for name in [
            "config",
            "REPLICAOF",
            "slaveof",
            "MIGRATE",
            "module",
            "DEBUG",
            "swapdb",
        ] {
            let text = admin_refusal(name, none).unwrap_or_default();
            assert!(
                text.contains(&format!("'{}'", name.to_ascii_lowercase())),
                "{text}"
            );
        }
        assert_eq!(admin_refusal("GET", none), None);
        assert_eq!(admin_refusal("config", &["CONFIG"]), None);
        assert!(admin_refusal("DEBUG", &["CONFIG"]).is_some());
    }
}
