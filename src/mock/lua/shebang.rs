//! The `#!lua flags=...` / `#!lua name=...` first line of scripts and
//! function libraries, parsed with Redis 7's rules and error texts.
//!
//! Must not: run anything; it only reads the first line.

/// What a script declares about itself.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Flags {
    /// `no-writes`: the script only reads (EVAL_RO and replicas may run it).
    pub no_writes: bool,
    /// True when the script had a shebang at all. Scripts without one run in
    /// Redis's compatibility mode: they may write, yet EVAL_RO still runs
    /// them and refuses their writes one by one.
    pub declared: bool,
}

/// The flags Redis 7.0 knows, plus `allow-key-locking` (Redis 7.4 and
/// Upstash know it; @upstash/ratelimit 2.x sends it), so scripts written for
/// Upstash run here; in the order Redis prints them (FUNCTION LIST).
pub(crate) const KNOWN: &[&str] = &[
    "no-writes",
    "allow-oom",
    "allow-stale",
    "no-cluster",
    "allow-cross-slot-keys",
    "allow-key-locking",
];

/// Parses one comma-separated flag list (`flags=` of a script, `flags` of a
/// registered function): true when `no-writes` is among them.
pub fn parse_flag_list<'a>(
    flags: impl IntoIterator<Item = &'a str>,
    unknown: impl Fn(&str) -> String,
) -> Result<bool, String> {
    let mut no_writes = false;
    for flag in flags {
        if !KNOWN.contains(&flag) {
            return Err(unknown(flag));
        }
        no_writes |= flag == "no-writes";
    }
    Ok(no_writes)
}

/// The first line of `body` when it is a shebang, and the offset where the
/// rest of the body starts (the newline is kept, so line numbers stay).
fn first_line(body: &[u8]) -> Option<(&str, usize)> {
    if !body.starts_with(b"#!") {
        return None;
    }
    let end = body.iter().position(|&b| b == b'\n').unwrap_or(body.len());
    Some((std::str::from_utf8(&body[..end]).unwrap_or("#!"), end))
}

/// The flags of an EVAL script, and the body Lua compiles (the shebang line
/// blanked out, so line numbers match Redis's).
pub fn script_flags(body: &[u8]) -> Result<(Flags, &[u8]), String> {
    let Some((line, end)) = first_line(body) else {
        return Ok((Flags::default(), body));
    };
    let mut parts = line.split(' ').filter(|p| !p.is_empty());
    let engine = parts.next().unwrap_or("#!");
    if engine != "#!lua" {
        return Err(format!("ERR Unexpected engine in script shebang: {engine}"));
    }
    let mut flags = Flags {
        no_writes: false,
        declared: true,
    };
    for part in parts {
        let Some(list) = part.strip_prefix("flags=") else {
            return Err(format!("ERR Unknown lua shebang option: {part}"));
        };
        flags.no_writes = parse_flag_list(list.split(',').filter(|f| !f.is_empty()), |f| {
            format!("ERR Unexpected flag in script shebang: {f}")
        })?;
    }
    Ok((flags, &body[end..]))
}

/// The library name of a FUNCTION LOAD body, and the code after the shebang.
pub fn library_name(body: &[u8]) -> Result<(String, &[u8]), String> {
    let Some((line, end)) = first_line(body) else {
        return Err("ERR Missing library metadata".to_owned());
    };
    let mut parts = line.split(' ').filter(|p| !p.is_empty());
    let engine = parts.next().unwrap_or("#!");
    let engine = engine.strip_prefix("#!").unwrap_or(engine);
    if !engine.eq_ignore_ascii_case("lua") {
        return Err(format!("ERR Engine '{engine}' not found"));
    }
    let mut name = None;
    for part in parts {
        match part.strip_prefix("name=") {
            Some(n) => name = Some(n),
            None => return Err(format!("ERR Invalid metadata value given: {part}")),
        }
    }
    let name = name.ok_or_else(|| "ERR Library name was not given".to_owned())?;
    check_name(name)?;
    Ok((name.to_owned(), &body[end..]))
}

/// Redis's rule for library and function names.
pub fn check_name(name: &str) -> Result<(), String> {
    if name.is_empty() || !name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_') {
        return Err("ERR Library names can only contain letters, numbers, or underscores(_) and must be at least one character long".to_owned());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[crate::unit_test]
    fn shebangs_parse_as_redis_does() {
        assert_eq!(
            script_flags(b"return 1").map(|(f, _)| f),
            Ok(Flags::default())
        );
        let (flags, rest) = script_flags(b"#!lua flags=no-writes,allow-oom\nreturn 1").unwrap();
        assert!(flags.no_writes && flags.declared);
        assert_eq!(rest, b"\nreturn 1");
        assert!(script_flags(b"#!lua flags=allow-key-locking\nreturn 1").is_ok());
        assert_eq!(
            script_flags(b"#!lua flags=bogus\nreturn 1").unwrap_err(),
            "ERR Unexpected flag in script shebang: bogus"
        );
        assert_eq!(
            script_flags(b"#!luax\n").unwrap_err(),
            "ERR Unexpected engine in script shebang: #!luax"
        );
        assert_eq!(
            script_flags(b"#!lua name=x\n").unwrap_err(),
            "ERR Unknown lua shebang option: name=x"
        );
        assert_eq!(library_name(b"#!lua name=lib\nx").unwrap().0, "lib");
        assert_eq!(
            library_name(b"return 1").unwrap_err(),
            "ERR Missing library metadata"
        );
        assert_eq!(
            library_name(b"#!py name=l\n").unwrap_err(),
            "ERR Engine 'py' not found"
        );
        assert_eq!(
            library_name(b"#!lua\n").unwrap_err(),
            "ERR Library name was not given"
        );
        assert!(library_name(b"#!lua name=li-b\n").is_err());
    }
}
