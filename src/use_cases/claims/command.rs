//! `obole sites grant`: an operator vouches for creators' sites from the command line.

use std::io::Write as _;

use anyhow::Context as _;
use chrono::{DateTime, Utc};
use diesel::prelude::*;

use super::sites::{self as site_cases, Proven};
use crate::db::DbConnection;
use crate::db::schema::things;
use crate::domain::Email;
use crate::domain::site::{SiteKind, SiteUrl, covers};
use crate::models::{sites, users};

/// Vouches that each of `urls` is the site of the account with `email`, and says what moved.
pub fn grant(
    conn: &mut DbConnection,
    email: Option<&str>,
    urls: &[String],
    now: DateTime<Utc>,
) -> anyhow::Result<()> {
    let email = email.unwrap_or_default();
    let parsed =
        Email::parse(email).map_err(|_| anyhow::anyhow!("--email {email:?} is not an address"))?;
    let sites: Vec<SiteUrl> = urls
        .iter()
        .map(|url| {
            SiteUrl::parse(url).map_err(|_| {
                anyhow::anyhow!(
                    "--url {url:?} is not a site: an http(s) origin such as https://example.org/ \
                     or a profile page, without a query"
                )
            })
        })
        .collect::<anyhow::Result<_>>()?;
    if users::find_by_email(conn, &parsed)?.is_none() {
        anyhow::bail!("no account has the email {}", parsed.as_str());
    }
    let mut out = std::io::stdout().lock();
    for site in &sites {
        let proven = site_cases::grant(conn, &parsed, site, None, now)
            .with_context(|| format!("vouching for {}", site.as_str()))?;
        writeln!(out, "{}", summary(&proven))?;
    }
    Ok(())
}

/// Vouches, for each thing nobody has claimed yet, for its own page as a site of its owner:
/// what an instance had before claims, made explicit by its operator.
pub fn grant_existing(conn: &mut DbConnection, now: DateTime<Utc>) -> anyhow::Result<()> {
    let unclaimed: Vec<(i64, String)> = things::table
        .filter(things::site_id.is_null())
        .order(things::id.asc())
        .select((things::owner_id, things::url))
        .load(conn)?;
    let (mut vouched, mut skipped) = (0_usize, Vec::new());
    for (owner, url) in unclaimed {
        // Only a page, never a whole origin: a thing at a site's root proves nothing about
        // the site (anyone could have added it), and one whose URL has a query is no site.
        let Some(site) = SiteUrl::parse(&url)
            .ok()
            .filter(|site| site.kind() == SiteKind::Profile)
        else {
            skipped.push(url);
            continue;
        };
        // Vouching must not hand anyone else's things over: a page that covers things of
        // other owners (a site's root, say) is left for its owner to prove.
        let others = sites::things_under(conn, site.key())?
            .into_iter()
            .any(|(_, other, key, _)| other != owner && covers(site.key(), &key));
        if others {
            skipped.push(url);
            continue;
        }
        let Some(user) = users::find(conn, crate::domain::UserId(owner))? else {
            continue;
        };
        let Ok(email) = Email::parse(&user.email) else {
            continue;
        };
        site_cases::grant(conn, &email, &site, None, now)
            .with_context(|| format!("vouching for {url}"))?;
        vouched += 1;
    }
    println!("Vouched for {vouched} page(s) of existing things, each for its owner.");
    for url in skipped {
        println!(
            "Left unclaimed (a site's root, a URL with a query, or a page covering other owners' \
             things): {url}"
        );
    }
    Ok(())
}

fn summary(proven: &Proven) -> String {
    let released: i64 = proven
        .settled
        .released
        .iter()
        .map(|r| r.gross.micros())
        .sum();
    format!(
        "{} is now proven (site {}): {} thing(s) moved to its owner, {} newly claimed, {} held \
         released",
        proven.site.url,
        proven.site.id,
        proven.settled.moved.len(),
        proven.settled.claimed.len(),
        crate::domain::Money::from_micros(released).to_api_string()
    )
}
