//! The database's part of `obole backup`: how each backend is copied while the server runs.
//!
//! SQLite copies itself with `VACUUM INTO`, through an ordinary connection: the statement reads
//! one consistent snapshot (a read transaction, which WAL lets run beside the writers) and
//! writes it as a compact, self-contained database file. PostgreSQL has a better tool than
//! anything Obole could do over its connection, `pg_dump`, so the command names it instead.

use std::path::{Path, PathBuf};

use anyhow::Context as _;
use diesel::RunQueryDsl as _;
use diesel::sql_types::Text;

use super::DbConnection;
use crate::config::DatabaseUrl;

/// How the configured database is backed up.
pub enum Method {
    /// The live SQLite file, copied by [`vacuum_into`].
    VacuumInto { live: PathBuf },
    /// PostgreSQL: an example `pg_dump` command line writing to the requested file, built from
    /// the configured URL with its password left out.
    PgDump { example: String, had_password: bool },
}

pub fn method(url: &DatabaseUrl, to: &Path) -> Method {
    match url {
        DatabaseUrl::Sqlite(live) => Method::VacuumInto { live: live.clone() },
        DatabaseUrl::Postgres(secret) => {
            let (shown, had_password) = without_password(secret.expose());
            let example = format!(
                "pg_dump --format=custom --file={} --dbname={}",
                quoted(&to.to_string_lossy()),
                quoted(&shown)
            );
            Method::PgDump {
                example,
                had_password,
            }
        }
    }
}

/// Writes a consistent copy of the SQLite database at `url` into `into`, which must not exist
/// or be empty (`VACUUM INTO` refuses anything else, so a copy never lands on another file).
/// Never creates the live database: a wrong path is an error, not an empty backup.
pub fn vacuum_into(url: &DatabaseUrl, into: &Path) -> anyhow::Result<()> {
    let DatabaseUrl::Sqlite(live) = url else {
        anyhow::bail!("VACUUM INTO copies SQLite databases only");
    };
    if !live.is_file() {
        anyhow::bail!(
            "there is no SQLite database at {} (OBOLE_DATABASE_URL, OBOLE_DATA_DIR)",
            live.display()
        );
    }
    let target = into
        .to_str()
        .context("the backup's path is not valid UTF-8")?;
    // The pool's connection carries the usual PRAGMAs, among them the busy timeout that waits
    // out a checkpoint of the running server instead of failing.
    let pool = super::connect_pool(url, 1)?;
    let mut conn = pool.get()?;
    match &mut *conn {
        DbConnection::Sqlite(sqlite) => diesel::sql_query("VACUUM INTO ?")
            .bind::<Text, _>(target)
            .execute(sqlite)
            .with_context(|| format!("cannot copy {} into {target}", live.display()))
            .map(drop),
        DbConnection::Postgres(_) => anyhow::bail!("VACUUM INTO copies SQLite databases only"),
    }
}

/// Connection parameters of libpq that hold a secret or point at one: `password`, the client
/// key's `sslpassword`, and `passfile`, which names the file of passwords.
const SECRET_PARAMETERS: [&str; 3] = ["password", "sslpassword", "passfile"];

/// The URL with its password removed (the output is read on screens and pasted in tickets),
/// and whether there was one.
fn without_password(url: &str) -> (String, bool) {
    match url::Url::parse(url) {
        Ok(mut parsed) => {
            let mut had_password = parsed.password().is_some();
            // Cannot fail on a URL that has a host, which every PostgreSQL URL with a
            // password has; a failure leaves nothing secret behind anyway.
            let _ = parsed.set_password(None);
            // libpq also takes secrets as parameters (`?password=…`); the rest are kept.
            let (secret, kept): (Vec<_>, Vec<_>) = parsed
                .query_pairs()
                .into_owned()
                .partition(|(name, _)| SECRET_PARAMETERS.contains(&name.as_str()));
            if !secret.is_empty() {
                had_password = true;
                if kept.is_empty() {
                    parsed.set_query(None);
                } else {
                    parsed.query_pairs_mut().clear().extend_pairs(&kept);
                }
            }
            (parsed.to_string(), had_password)
        }
        // Unparsable: show nothing of it rather than risk showing a password.
        Err(_) => ("postgres://HOST/DATABASE".to_owned(), true),
    }
}

/// `text` quoted for a POSIX shell, so that the example can be pasted as it is.
fn quoted(text: &str) -> String {
    shlex::try_quote(text).map_or_else(|_| format!("'{text}'"), |q| q.into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Secret;

    #[test]
    fn the_pg_dump_example_never_shows_the_password() {
        let url = DatabaseUrl::Postgres(Secret::new(
            "postgres://obole:s3cret@db.internal:5433/obole?sslmode=require".to_owned(),
        ));
        let Method::PgDump {
            example,
            had_password,
        } = method(&url, Path::new("/backups/obole 1.dump"))
        else {
            panic!("PostgreSQL is backed up with pg_dump");
        };
        assert!(had_password);
        assert!(!example.contains("s3cret"), "{example}");
        assert_eq!(
            example,
            "pg_dump --format=custom --file='/backups/obole 1.dump' \
             --dbname='postgres://obole@db.internal:5433/obole?sslmode=require'"
        );
    }

    #[test]
    fn passwords_given_as_parameters_are_left_out_too() {
        let (shown, had) =
            without_password("postgres://obole@db/obole?password=s3cret&sslmode=require");
        assert!(had);
        assert_eq!(shown, "postgres://obole@db/obole?sslmode=require");
        let (shown, had) = without_password(
            "postgres://obole@db/obole?sslpassword=k3y&passfile=%2Fsecret%2Fpgpass",
        );
        assert!(had);
        assert_eq!(shown, "postgres://obole@db/obole");
        let (shown, had) = without_password("postgres://obole@db/obole?sslmode=verify-full");
        assert!(!had);
        assert_eq!(shown, "postgres://obole@db/obole?sslmode=verify-full");
    }

    #[test]
    fn an_unreadable_url_is_not_shown_at_all() {
        assert_eq!(
            without_password("postgres://obole:s3cret@[db"),
            ("postgres://HOST/DATABASE".to_owned(), true)
        );
    }
}
