//! Tokens that run as a Redis ACL user: the `--token-map` file.
//!
//! Format, one mapping a line: `token=acl-user:password`. Blank lines and
//! lines starting with `#` are ignored; surrounding spaces are trimmed. The
//! token is everything before the LAST `=` (base64 tokens may end in `=`),
//! the user everything after it up to the first `:`, the password the rest.
//! So a user must not contain `:` or `=`, and a password must not contain
//! `=` (`ACL GENPASS` passwords are hex). Several tokens may map to one user.
//!
//! Owns: parsing and validating the file. Errors name the line number and
//! what is wrong, never a token or a password. Must not: read files itself
//! (the CLI does) or connect anywhere.

use std::fmt;

use crate::error::ServerError;

/// One `token=user:password` line.
#[derive(Clone, PartialEq, Eq)]
pub struct TenantToken {
    /// The REST token clients send.
    pub token: String,
    /// The Redis ACL user its requests run as.
    pub user: String,
    /// That user's password.
    pub password: String,
}

impl fmt::Debug for TenantToken {
    // Only the user name is shown: token and password are secrets.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TenantToken")
            .field("token", &"<redacted>")
            .field("user", &self.user)
            .field("password", &"<redacted>")
            .finish()
    }
}

/// Parses a token map (see the module docs for the format).
pub fn parse(text: &str) -> Result<Vec<TenantToken>, ServerError> {
    let mut out: Vec<TenantToken> = Vec::new();
    for (i, raw) in text.lines().enumerate() {
        let n = i + 1;
        let line = raw.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let bad = |why: &str| ServerError::Config(format!("token map line {n}: {why}"));
        let (token, rest) = line
            .rsplit_once('=')
            .ok_or_else(|| bad("expected token=acl-user:password (no `=` found)"))?;
        let (user, password) = rest
            .split_once(':')
            .ok_or_else(|| bad("expected token=acl-user:password (no `:` after `=`)"))?;
        let (token, user, password) = (token.trim(), user.trim(), password.trim());
        if token.is_empty() {
            return Err(bad("the token is empty"));
        }
        if user.is_empty() {
            return Err(bad("the ACL user is empty"));
        }
        if password.is_empty() {
            return Err(bad("the password is empty"));
        }
        if user.chars().any(char::is_whitespace) {
            return Err(bad("the ACL user contains whitespace"));
        }
        if let Some(first) = out.iter().position(|t| t.token == token) {
            // The other line's number identifies the duplicate without the token.
            let first_line = nth_mapping_line(text, first).unwrap_or(0);
            return Err(bad(&format!(
                "the token is the same as on line {first_line}"
            )));
        }
        out.push(TenantToken {
            token: token.to_owned(),
            user: user.to_owned(),
            password: password.to_owned(),
        });
    }
    Ok(out)
}

/// The 1-based line number of the `index`-th mapping line.
fn nth_mapping_line(text: &str, index: usize) -> Option<usize> {
    text.lines()
        .enumerate()
        .filter(|(_, l)| {
            let l = l.trim();
            !l.is_empty() && !l.starts_with('#')
        })
        .nth(index)
        .map(|(i, _)| i + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_lines_comments_and_padding() {
        let map = parse("# tenants\n\n tokA==ws-a:pw:x \nB=ws-b:pw2\n").unwrap();
        assert_eq!(map.len(), 2);
        assert_eq!(map[0].token, "tokA=");
        assert_eq!(map[0].user, "ws-a");
        assert_eq!(map[0].password, "pw:x");
        assert_eq!(map[1].user, "ws-b");
    }

    #[test]
    fn errors_name_the_line_never_the_token() {
        for (text, line, why) in [
            ("secret1\n", "line 1", "no `=`"),
            ("# c\nsecret2=user\n", "line 2", "no `:`"),
            ("=u:p\n", "line 1", "token is empty"),
            ("secret3=:p\n", "line 1", "user is empty"),
            ("secret4=u:\n", "line 1", "password is empty"),
            (
                "secret5=u:p\n\nsecret5=v:q\n",
                "line 3",
                "same as on line 1",
            ),
        ] {
            let e = parse(text).unwrap_err().to_string();
            assert!(e.contains(line) && e.contains(why), "{e}");
            assert!(!e.contains("secret"), "{e}");
        }
    }

    #[test]
    fn debug_hides_secrets() {
        let map = parse("tok9=ws-a:pw9").unwrap();
        let text = format!("{map:?}");
        assert!(!text.contains("tok9") && !text.contains("pw9"));
    }
}
