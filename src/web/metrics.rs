//! `GET /metrics` (Prometheus's text format) and the middleware that counts every request.
//!
//! With `OBOLE_METRICS_TOKEN` set, a scrape must present it as `Authorization: Bearer …`, or
//! gets 401 before any database work. Unset, the figures are served to whoever reaches the
//! route: they are counts, not personal data, and a Prometheus on the same private network is
//! the usual case; docs/SECURITY.md asks operators of public instances to set the token or
//! keep the route off the public proxy.

use std::time::{Duration, Instant};

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::{Method, header};
use actix_web::middleware::Next;
use actix_web::{HttpRequest, HttpResponse, web};
use subtle::ConstantTimeEq as _;

use super::error::{AppError, ErrorCode, json_body};
use super::locale::request_locale;
use super::state::AppState;
use crate::config::Secret;
use crate::metrics::{CONTENT_TYPE, FromDatabase, PoolUse, Scraped};
use crate::models::monitoring;
use crate::security::tokens::digest;

/// The route label of a request that matched no route (404s of any path): raw paths would
/// give Prometheus one series per path anyone cares to try.
const UNMATCHED: &str = "unmatched";

pub async fn serve(state: web::Data<AppState>, req: HttpRequest) -> Result<HttpResponse, AppError> {
    if !authorized(state.settings.metrics_token.as_ref(), &req) {
        let mut refused = json_body(ErrorCode::Unauthorized, request_locale(&req));
        refused.headers_mut().insert(
            header::WWW_AUTHENTICATE,
            header::HeaderValue::from_static("Bearer realm=\"metrics\""),
        );
        return Ok(refused);
    }
    // The pool first: when it is exhausted, this is what the operator's alert needs.
    let pool = state.pool.state();
    let pool = PoolUse {
        connections: pool.connections,
        idle: pool.idle_connections,
        max: state.pool.max_size(),
    };
    let database = read_database(&state).await;
    // This very scrape is counted once answered; listed now, at zero.
    state.metrics.declare_request("/metrics", "GET", "200");
    let scraped = Scraped {
        database,
        pool,
        due_month: state.clock.month().previous(),
    };
    let text = state
        .metrics
        .render(&scraped)
        .map_err(|e| anyhow::anyhow!("rendering the metrics: {e}"))?;
    Ok(HttpResponse::Ok()
        .content_type(CONTENT_TYPE)
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .body(text))
}

/// How long a scrape waits for a pool connection: far less than Prometheus's scrape timeout
/// (10 s by default), so that with the pool exhausted the scrape still answers in time, with
/// the pool's gauges that tell why.
const CONNECTION_WAIT: Duration = Duration::from_secs(1);

/// The database's figures, or `None` (logged) when no connection came in time or a query
/// failed: the scrape then answers without them and with `obole_metrics_database_up 0`.
async fn read_database(state: &web::Data<AppState>) -> Option<FromDatabase> {
    let pool = state.pool.clone();
    let read = web::block(move || -> anyhow::Result<FromDatabase> {
        let mut conn = pool.get_timeout(CONNECTION_WAIT)?;
        let outbox = monitoring::outbox_backlog(&mut conn)?;
        let last = monitoring::last_settlement(&mut conn)?;
        Ok(FromDatabase {
            outbox_pending: outbox.pending,
            outbox_failing: outbox.failing,
            last_settlement: last.map(|last| last.finished),
            last_month: last.map(|last| last.month),
        })
    })
    .await;
    match read {
        Ok(Ok(figures)) => Some(figures),
        Ok(Err(error)) => {
            tracing::warn!(error = %format!("{error:#}"), "metrics: the database's figures could not be read");
            None
        }
        Err(error) => {
            tracing::warn!(%error, "metrics: the database's figures could not be read");
            None
        }
    }
}

/// Whether the request may read the metrics: always without a token, else only with it.
fn authorized(token: Option<&Secret>, req: &HttpRequest) -> bool {
    let Some(expected) = token else {
        return true;
    };
    let given = req
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.strip_prefix("Bearer "));
    match given {
        // Digests have one length, so the comparison's time tells nothing of the token's.
        Some(given) => digest(expected.expose())
            .as_bytes()
            .ct_eq(digest(given.trim()).as_bytes())
            .into(),
        None => false,
    }
}

/// Counts each request by route pattern, method and status, and times it (to its response's
/// head; a long body streams after). Outermost, so that it sees the final status of every
/// response, errors rendered included.
pub async fn track(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let started = Instant::now();
    let method = method_label(req.method());
    let state = req.app_data::<web::Data<AppState>>().cloned();
    let outcome = next.call(req).await;
    if let Some(state) = state {
        let (route, status) = match &outcome {
            Ok(res) => (res.request().match_pattern(), res.status()),
            Err(e) => (None, e.as_response_error().status_code()),
        };
        state.metrics.request(
            route.as_deref().unwrap_or(UNMATCHED),
            method,
            status.as_str(),
            started.elapsed().as_secs_f64(),
        );
    }
    outcome
}

/// A fixed few labels: a client may send any method name.
fn method_label(method: &Method) -> &'static str {
    match *method {
        Method::GET => "GET",
        Method::HEAD => "HEAD",
        Method::POST => "POST",
        Method::PUT => "PUT",
        Method::DELETE => "DELETE",
        Method::PATCH => "PATCH",
        Method::OPTIONS => "OPTIONS",
        _ => "other",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use actix_web::test::TestRequest;

    #[test]
    fn only_the_configured_token_reads_the_metrics() {
        let token = Secret::new("scrape-me-0123456789".into());
        let with = |value: &str| {
            TestRequest::default()
                .insert_header((header::AUTHORIZATION, value))
                .to_http_request()
        };
        let bare = TestRequest::default().to_http_request();
        assert!(authorized(None, &bare), "no token set: served");
        assert!(!authorized(Some(&token), &bare));
        assert!(authorized(
            Some(&token),
            &with("Bearer scrape-me-0123456789")
        ));
        assert!(!authorized(
            Some(&token),
            &with("Bearer scrape-me-012345678")
        ));
        assert!(!authorized(
            Some(&token),
            &with("Basic scrape-me-0123456789")
        ));
        assert!(!authorized(Some(&token), &with("scrape-me-0123456789")));
    }

    #[test]
    fn unknown_methods_share_one_label() {
        let custom = Method::from_bytes(b"PROPFIND").expect("a method");
        assert_eq!(method_label(&custom), "other");
        assert_eq!(method_label(&Method::POST), "POST");
    }
}
