//! The DNS resolver that keeps only public addresses.
//!
//! The connection is made to an address this resolver returned, so the address checked is the
//! address connected to: a name that answers a public address to a first query and a private
//! one to a second (DNS rebinding) gains nothing, since there is no second query.

use reqwest::dns::{Addrs, Name, Resolve, Resolving};

use crate::use_cases::claims::address::is_public;

pub(super) struct PublicOnlyResolver;

/// A name whose every address was refused; found again in the error chain to tell a
/// `NotPublic` from an unreachable host.
#[derive(Debug, thiserror::Error)]
#[error("{host} resolves to no public address")]
pub(super) struct NoPublicAddress {
    pub(super) host: String,
}

impl Resolve for PublicOnlyResolver {
    fn resolve(&self, name: Name) -> Resolving {
        let host = name.as_str().to_owned();
        Box::pin(async move {
            // Port 0: reqwest puts the URL's port (or the scheme's) in its place.
            let public: Vec<_> = tokio::net::lookup_host((host.as_str(), 0))
                .await?
                .filter(|addr| is_public(addr.ip()))
                .collect();
            if public.is_empty() {
                return Err(NoPublicAddress { host }.into());
            }
            let addrs: Addrs = Box::new(public.into_iter());
            Ok(addrs)
        })
    }
}
