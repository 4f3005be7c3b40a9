//! The `--tenant-scripts` file: SHA-1s of the Lua scripts `--token-map`
//! tenants may run besides edgestash's own (`http::tenant_scripts`).
//!
//! Format: one SHA-1 (40 hex digits, the form `SCRIPT LOAD` answers) a line;
//! blank lines and lines starting with `#` are ignored, surrounding spaces
//! trimmed. A SHA-1 rather than a body: the operator vets the script once
//! and lists what its users will send, and EVAL of that body, EVALSHA of the
//! SHA-1 and SCRIPT LOAD of the body are then allowed.
//!
//! Owns: parsing the file. Errors name the line number, never its text.
//! Must not: read files itself (the CLI does).

use edgestash::namespace::ScriptAllowList;

use crate::error::ServerError;

/// edgestash's own scripts plus every SHA-1 of `text`.
pub fn parse(text: &str) -> Result<ScriptAllowList, ServerError> {
    let mut list = ScriptAllowList::edgestash();
    for (n, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        if !list.register_sha(line) {
            return Err(ServerError::Config(format!(
                "--tenant-scripts (EDGESTASH_TENANT_SCRIPTS) line {}: expected a script SHA-1 (40 hex digits)",
                n + 1
            )));
        }
    }
    Ok(list)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_shas_and_names_only_the_line_of_a_bad_one() {
        let own = ScriptAllowList::edgestash().len();
        let sha = "e0e1f9fabfc9d4800c877a703b823ac0578ff8db";
        let list = parse(&format!(
            "# vetted\n\n  {sha}  \n{}\n",
            sha.to_ascii_uppercase()
        ))
        .unwrap();
        assert_eq!(list.len(), own + 1);
        assert!(list.allows_body(b"return 1"));
        let err = parse(&format!("{sha}\nsecret-looking text\n"))
            .unwrap_err()
            .to_string();
        assert!(err.contains("line 2"), "{err}");
        assert!(!err.contains("secret"), "{err}");
    }
}
