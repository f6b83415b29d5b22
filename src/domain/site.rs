//! Sites: what a person proves is theirs (PRODUCT.md, "Claims"). A site is an origin
//! (`https://example.org/`) or a profile page on a shared host (`https://social.example/@alice`,
//! `https://github.com/alice`); it covers the things whose URL lies under it.

use url::Url;

use super::thing::ThingUrl;

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum SiteInputError {
    /// Not an absolute http(s) URL, or one with a query: a site is an origin or a page path.
    #[error("not a site URL")]
    InvalidUrl,
}

/// Whether a site is a whole origin or one page path on a shared host.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SiteKind {
    Origin,
    Profile,
}

/// A site's normalised URL, as things' URLs are normalised, and its scheme-less key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SiteUrl {
    url: ThingUrl,
}

impl SiteUrl {
    /// Normalises like a thing's URL (lower-case host, no fragment, no trailing slash but the
    /// root's) and refuses a query: `https://example.org/?page=1` is no site.
    pub fn parse(input: &str) -> Result<SiteUrl, SiteInputError> {
        let url = ThingUrl::parse(input).map_err(|_| SiteInputError::InvalidUrl)?;
        if url.as_str().contains('?') {
            return Err(SiteInputError::InvalidUrl);
        }
        Ok(SiteUrl { url })
    }

    pub fn as_str(&self) -> &str {
        self.url.as_str()
    }

    /// The URL without its scheme, comparable with things' `url_key`.
    pub fn key(&self) -> &str {
        self.url.key()
    }

    pub fn kind(&self) -> SiteKind {
        if self.key().ends_with('/') {
            SiteKind::Origin
        } else {
            SiteKind::Profile
        }
    }

    /// The site's origin, `https://example.org`.
    pub fn origin(&self) -> Option<String> {
        let url = Url::parse(self.as_str()).ok()?;
        Some(url.origin().ascii_serialization())
    }
}

/// Whether the site with key `site` covers a thing with key `thing` (both scheme-less): the
/// thing is the site itself or lies under it, at a path boundary, so that `social.example/@al`
/// does not cover `social.example/@alice`.
pub fn covers(site: &str, thing: &str) -> bool {
    let Some(rest) = thing.strip_prefix(site) else {
        return false;
    };
    rest.is_empty() || site.ends_with('/') || rest.starts_with('/') || rest.starts_with('?')
}

/// Of the sites covering a thing, the one that decides: the longest (a profile page on a
/// shared host beats the host's origin).
pub fn longest_cover<'a, T>(
    thing: &str,
    sites: impl IntoIterator<Item = (&'a str, T)>,
) -> Option<(&'a str, T)> {
    sites
        .into_iter()
        .filter(|(key, _)| covers(key, thing))
        .max_by_key(|(key, _)| key.len())
}

/// How a site was proven; stored as its code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProofMethod {
    /// `<meta name="obole-verification" content="TOKEN">` on the site's page.
    Meta,
    /// The token alone in `{origin}/.well-known/obole-verification.txt` (origins only).
    WellKnown,
    /// A `rel="me"` link from the site's page to the person's public page `/c/{handle}`.
    RelMe,
    /// An operator vouched for it (`obole sites grant`, or the operator page).
    Operator,
}

impl ProofMethod {
    pub const ALL: [ProofMethod; 4] = [
        ProofMethod::Meta,
        ProofMethod::WellKnown,
        ProofMethod::RelMe,
        ProofMethod::Operator,
    ];

    pub fn code(self) -> &'static str {
        match self {
            ProofMethod::Meta => "meta",
            ProofMethod::WellKnown => "well_known",
            ProofMethod::RelMe => "rel_me",
            ProofMethod::Operator => "operator",
        }
    }

    pub fn parse(code: &str) -> Option<ProofMethod> {
        ProofMethod::ALL.into_iter().find(|m| m.code() == code)
    }

    /// The methods a person can use for a site of this kind (operators vouch apart).
    pub fn for_kind(kind: SiteKind) -> &'static [ProofMethod] {
        match kind {
            SiteKind::Origin => &[
                ProofMethod::Meta,
                ProofMethod::WellKnown,
                ProofMethod::RelMe,
            ],
            SiteKind::Profile => &[ProofMethod::Meta, ProofMethod::RelMe],
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(input: &str) -> String {
        SiteUrl::parse(input).expect("site").key().to_owned()
    }

    #[test]
    fn origins_and_profiles_are_told_apart() {
        let origin = SiteUrl::parse("HTTPS://Example.org").expect("origin");
        assert_eq!(origin.as_str(), "https://example.org/");
        assert_eq!(origin.kind(), SiteKind::Origin);
        assert_eq!(origin.origin().as_deref(), Some("https://example.org"));
        let profile = SiteUrl::parse("https://social.example/@alice/").expect("profile");
        assert_eq!(profile.as_str(), "https://social.example/@alice");
        assert_eq!(profile.kind(), SiteKind::Profile);
    }

    #[test]
    fn a_site_has_no_query_and_is_http() {
        assert!(SiteUrl::parse("https://example.org/?page=2").is_err());
        assert!(SiteUrl::parse("ftp://example.org/").is_err());
        assert!(SiteUrl::parse("example.org").is_err());
        assert!(SiteUrl::parse("https://user:pw@example.org/").is_err());
    }

    #[test]
    fn coverage_stops_at_path_boundaries() {
        let origin = key("https://example.org/");
        assert!(covers(&origin, "example.org/"));
        assert!(covers(&origin, "example.org/post/1"));
        assert!(!covers(&origin, "example.org.evil.test/post"));
        assert!(!covers(&origin, "example.org:8080/post"));
        let profile = key("https://social.example/@al");
        assert!(covers(&profile, "social.example/@al"));
        assert!(covers(&profile, "social.example/@al/123"));
        assert!(covers(&profile, "social.example/@al?tab=posts"));
        assert!(!covers(&profile, "social.example/@alice"));
        assert!(!covers(&profile, "social.example/"));
    }

    #[test]
    fn the_longest_cover_decides() {
        let sites = [
            ("github.com/", 1),
            ("github.com/alice", 2),
            ("github.com/al", 3),
        ];
        let found = longest_cover("github.com/alice/repo", sites.iter().map(|(k, v)| (*k, *v)));
        assert_eq!(found, Some(("github.com/alice", 2)));
        let found = longest_cover("github.com/bob", sites.iter().map(|(k, v)| (*k, *v)));
        assert_eq!(found, Some(("github.com/", 1)));
        assert_eq!(
            longest_cover("gitlab.com/x", sites.iter().map(|(k, v)| (*k, *v))),
            None
        );
    }

    #[test]
    fn proof_methods_round_trip_and_fit_the_kind() {
        for method in ProofMethod::ALL {
            assert_eq!(ProofMethod::parse(method.code()), Some(method));
        }
        assert!(!ProofMethod::for_kind(SiteKind::Profile).contains(&ProofMethod::WellKnown));
        assert!(ProofMethod::for_kind(SiteKind::Origin).contains(&ProofMethod::WellKnown));
    }
}
