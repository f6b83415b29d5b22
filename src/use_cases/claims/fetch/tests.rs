use std::net::SocketAddr;
use std::time::{Duration, Instant};

use super::test_server::{response, serve};
use super::*;

fn url(text: &str) -> Url {
    Url::parse(text).expect("a test URL")
}

fn fetcher(policy: FetchPolicy) -> Fetcher {
    Fetcher::new(policy).expect("a fetcher")
}

/// Loopback is the only place the tests may reach, so they let private addresses through.
fn loopback_fetcher() -> Fetcher {
    fetcher(FetchPolicy {
        allow_private: true,
        ..FetchPolicy::default()
    })
}

async fn site() -> SocketAddr {
    serve(|path| match path {
        "/" => response("200 OK", "", b"<p>hello</p>"),
        "/moved" => response("302 Found", "Location: /\r\n", b""),
        "/elsewhere" => response("302 Found", "Location: http://127.0.0.1:1/\r\n", b""),
        "/other-host" => response("301 Moved", "Location: http://example.com/\r\n", b""),
        "/loop" => response("307 Again", "Location: /loop\r\n", b""),
        "/r3" => response("302 Found", "Location: /r2\r\n", b""),
        "/r2" => response("302 Found", "Location: /r1\r\n", b""),
        "/r1" => response("302 Found", "Location: /\r\n", b""),
        "/huge" => response("200 OK", "", &vec![b'x'; 10 * 1024 * 1024]),
        "/silent" => None,
        _ => response("404 Not Found", "", b"no"),
    })
    .await
}

#[tokio::test]
async fn loopback_is_refused_by_default() {
    let addr = site().await;
    let result = fetcher(FetchPolicy::default())
        .fetch(&url(&format!("http://{addr}/")))
        .await;
    assert!(
        matches!(result, Err(FetchError::NotPublic { ref host, .. }) if host == "127.0.0.1"),
        "{result:?}"
    );
}

#[tokio::test]
async fn a_name_resolving_to_loopback_is_refused_by_the_resolver() {
    let addr = site().await;
    let result = fetcher(FetchPolicy::default())
        .fetch(&url(&format!("http://localhost:{}/", addr.port())))
        .await;
    assert!(
        matches!(result, Err(FetchError::NotPublic { ref host, .. }) if host == "localhost"),
        "{result:?}"
    );
}

#[tokio::test]
async fn private_addresses_are_fetched_when_allowed() {
    let addr = site().await;
    let page = loopback_fetcher()
        .fetch(&url(&format!("http://{addr}/")))
        .await
        .expect("the page");
    assert_eq!(page.status, 200);
    assert_eq!(page.body, "<p>hello</p>");
    assert!(!page.truncated);
}

#[tokio::test]
async fn a_same_origin_redirect_is_followed() {
    let addr = site().await;
    let page = loopback_fetcher()
        .fetch(&url(&format!("http://{addr}/moved")))
        .await
        .expect("the page");
    assert_eq!(page.url, url(&format!("http://{addr}/")));
    assert_eq!(page.body, "<p>hello</p>");
}

#[tokio::test]
async fn exactly_max_redirects_are_followed() {
    let addr = site().await;
    let page = loopback_fetcher()
        .fetch(&url(&format!("http://{addr}/r3")))
        .await
        .expect("the page");
    assert_eq!(page.body, "<p>hello</p>");
}

#[tokio::test]
async fn a_redirect_to_another_port_or_host_is_refused() {
    let addr = site().await;
    for (path, target) in [
        ("/elsewhere", "http://127.0.0.1:1/"),
        ("/other-host", "http://example.com/"),
    ] {
        let result = loopback_fetcher()
            .fetch(&url(&format!("http://{addr}{path}")))
            .await;
        assert!(
            matches!(result, Err(FetchError::RedirectOffOrigin { ref to, .. }) if to == target),
            "{result:?}"
        );
    }
}

#[tokio::test]
async fn a_redirect_loop_is_cut() {
    let addr = site().await;
    let result = loopback_fetcher()
        .fetch(&url(&format!("http://{addr}/loop")))
        .await;
    assert!(
        matches!(result, Err(FetchError::TooManyRedirects { max: 3, .. })),
        "{result:?}"
    );
}

#[tokio::test]
async fn a_huge_body_is_cut_at_max_bytes() {
    let addr = site().await;
    let page = loopback_fetcher()
        .fetch(&url(&format!("http://{addr}/huge")))
        .await
        .expect("the page");
    assert!(page.truncated);
    assert_eq!(page.body.len(), FetchPolicy::default().max_bytes);
}

#[tokio::test]
async fn a_silent_server_times_out_on_time() {
    let addr = site().await;
    let timeout = Duration::from_millis(300);
    let started = Instant::now();
    let result = fetcher(FetchPolicy {
        allow_private: true,
        timeout,
        ..FetchPolicy::default()
    })
    .fetch(&url(&format!("http://{addr}/silent")))
    .await;
    assert!(
        matches!(result, Err(FetchError::Timeout { .. })),
        "{result:?}"
    );
    assert!(
        started.elapsed() < timeout * 3,
        "took {:?}",
        started.elapsed()
    );
}

#[tokio::test]
async fn a_closed_port_is_unreachable() {
    let closed = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("a loopback port")
        .local_addr()
        .expect("its address");
    let result = loopback_fetcher()
        .fetch(&url(&format!("http://{closed}/")))
        .await;
    assert!(
        matches!(result, Err(FetchError::Unreachable { ref reason, .. }) if !reason.is_empty()),
        "{result:?}"
    );
}

#[tokio::test]
async fn a_missing_page_is_a_status_error() {
    let addr = site().await;
    let result = loopback_fetcher()
        .fetch(&url(&format!("http://{addr}/nothing")))
        .await;
    assert!(
        matches!(result, Err(FetchError::Status { status: 404, .. })),
        "{result:?}"
    );
}

#[tokio::test]
async fn only_http_and_https_are_fetched() {
    let result = loopback_fetcher()
        .fetch(&url("ftp://example.com/file"))
        .await;
    assert!(
        matches!(result, Err(FetchError::NotHttp { .. })),
        "{result:?}"
    );
}

#[tokio::test]
async fn credentials_are_refused_and_not_logged() {
    let result = loopback_fetcher()
        .fetch(&url("http://alice:secret@127.0.0.1/"))
        .await;
    let Err(error @ FetchError::Credentials { .. }) = result else {
        panic!("{result:?}")
    };
    assert!(!error.to_string().contains("secret"), "{error}");
}

#[tokio::test]
async fn metadata_and_loopback_literals_are_refused_without_network() {
    for (address, host) in [
        (
            "http://169.254.169.254/latest/meta-data/",
            "169.254.169.254",
        ),
        ("http://[::1]/", "::1"),
        ("http://[::ffff:127.0.0.1]/", "::ffff:127.0.0.1"),
        ("http://2130706433/", "127.0.0.1"),
        ("https://[fd00:ec2::254]/", "fd00:ec2::254"),
    ] {
        let result = fetcher(FetchPolicy::default()).fetch(&url(address)).await;
        assert!(
            matches!(result, Err(FetchError::NotPublic { host: ref refused, .. }) if refused == host),
            "{address}: {result:?}"
        );
    }
}
