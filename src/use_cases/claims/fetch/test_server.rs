//! A tiny HTTP/1.1 server on loopback for the fetcher's tests.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
use tokio::net::{TcpListener, TcpStream};

/// What the server answers to a request for a path: raw response bytes, or `None` to accept
/// the connection and never answer.
pub(super) type Route = dyn Fn(&str) -> Option<Vec<u8>> + Send + Sync;

/// Enough for every test's requests; the server stops accepting after that many.
const MAX_CONNECTIONS: usize = 16;

/// Starts a server on 127.0.0.1 and returns its address; it ends with the test's runtime.
pub(super) async fn serve(
    route: impl Fn(&str) -> Option<Vec<u8>> + Send + Sync + 'static,
) -> SocketAddr {
    let listener = TcpListener::bind("127.0.0.1:0")
        .await
        .expect("a loopback port");
    let addr = listener.local_addr().expect("the bound address");
    let route: Arc<Route> = Arc::new(route);
    tokio::spawn(async move {
        for _ in 0..MAX_CONNECTIONS {
            let Ok((stream, _)) = listener.accept().await else {
                return;
            };
            tokio::spawn(answer(stream, Arc::clone(&route)));
        }
    });
    addr
}

async fn answer(mut stream: TcpStream, route: Arc<Route>) {
    let mut request = vec![0; 8192];
    let mut read = 0;
    while !request[..read].windows(4).any(|w| w == b"\r\n\r\n") && read < request.len() {
        match stream.read(&mut request[read..]).await {
            Ok(0) | Err(_) => return,
            Ok(n) => read += n,
        }
    }
    let head = String::from_utf8_lossy(&request[..read]);
    let path = head.split(' ').nth(1).unwrap_or("/");
    match route(path) {
        // The client may hang up first (a cut body); that is its right.
        Some(response) => {
            let _ = stream.write_all(&response).await;
        }
        None => tokio::time::sleep(Duration::from_secs(10)).await,
    }
}

/// A response with a `Content-Length` body, closing the connection.
pub(super) fn response(status: &str, headers: &str, body: &[u8]) -> Option<Vec<u8>> {
    let head = format!(
        "HTTP/1.1 {status}\r\n{headers}Content-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    );
    Some([head.as_bytes(), body].concat())
}
