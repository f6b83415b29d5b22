//! A creator's website for the claims tests: a tiny HTTP/1.1 server on a loopback port,
//! serving what the test put at each path (`/` with a meta tag, the well-known file, a
//! redirect, a huge page) and 404 elsewhere. It answers one request per connection, records
//! the paths asked for, and stops, with every connection it holds, when dropped.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::{JoinHandle, JoinSet};

/// The longest request head read: the fetcher sends a few hundred bytes.
const MAX_HEAD: usize = 16 * 1024;
/// How long one connection may last, so that a stuck client cannot keep a task alive.
const CONNECTION_DEADLINE: Duration = Duration::from_secs(20);

/// What the site answers at one path.
#[derive(Debug, Clone)]
pub struct Reply {
    status: u16,
    headers: Vec<(String, String)>,
    /// Shared: a 10 MiB page is not copied for each request.
    body: Arc<[u8]>,
}

impl Reply {
    /// A 200 HTML page.
    pub fn html(body: impl Into<String>) -> Reply {
        Reply::with_type("text/html; charset=utf-8", body.into().into_bytes())
    }

    /// A 200 plain-text file (the well-known token file).
    pub fn text(body: impl Into<String>) -> Reply {
        Reply::with_type("text/plain; charset=utf-8", body.into().into_bytes())
    }

    /// A 302 to `location`.
    pub fn redirect(location: &str) -> Reply {
        Reply {
            status: 302,
            headers: vec![("Location".into(), location.into())],
            body: Arc::from(Vec::new()),
        }
    }

    /// An empty answer with `status`.
    pub fn status(status: u16) -> Reply {
        Reply {
            status,
            headers: Vec::new(),
            body: Arc::from(Vec::new()),
        }
    }

    fn with_type(content_type: &str, body: Vec<u8>) -> Reply {
        Reply {
            status: 200,
            headers: vec![("Content-Type".into(), content_type.into())],
            body: Arc::from(body),
        }
    }
}

type Routes = Arc<Mutex<HashMap<String, Reply>>>;
type Requests = Arc<Mutex<Vec<String>>>;

/// A running site; `origin()` is `http://127.0.0.1:PORT`.
pub struct SiteServer {
    address: SocketAddr,
    routes: Routes,
    requests: Requests,
    task: JoinHandle<()>,
}

impl SiteServer {
    /// Starts a site that serves nothing yet (404 everywhere).
    pub async fn start() -> SiteServer {
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .expect("a loopback port for the site");
        let address = listener.local_addr().expect("the site's address");
        let routes = Routes::default();
        let requests = Requests::default();
        let task = tokio::spawn(accept(listener, routes.clone(), requests.clone()));
        SiteServer {
            address,
            routes,
            requests,
            task,
        }
    }

    /// `http://127.0.0.1:PORT`, no trailing slash.
    pub fn origin(&self) -> String {
        format!("http://{}", self.address)
    }

    /// The address of `path` (which starts with `/`) on this site.
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.origin())
    }

    /// Serves `reply` at `path` from now on (replacing what was there).
    pub fn serve(&self, path: &str, reply: Reply) {
        self.routes
            .lock()
            .expect("the site's routes")
            .insert(path.into(), reply);
    }

    /// The paths asked for so far, in order (query strings left out).
    pub fn requests(&self) -> Vec<String> {
        self.requests.lock().expect("the site's requests").clone()
    }
}

impl Drop for SiteServer {
    fn drop(&mut self) {
        // The accept loop owns the connections' tasks: aborting it drops them all.
        self.task.abort();
    }
}

async fn accept(listener: TcpListener, routes: Routes, requests: Requests) {
    let mut connections = JoinSet::new();
    loop {
        tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => {
                    let (routes, requests) = (routes.clone(), requests.clone());
                    connections.spawn(async move {
                        let answered = answer(stream, &routes, &requests);
                        // A client that stops reading (a page cut off) or never sends a
                        // request ends the connection, not the site.
                        let _ = tokio::time::timeout(CONNECTION_DEADLINE, answered).await;
                    });
                }
                Err(_) => return,
            },
            Some(_) = connections.join_next(), if !connections.is_empty() => {}
        }
    }
}

async fn answer(
    mut stream: TcpStream,
    routes: &Routes,
    requests: &Requests,
) -> std::io::Result<()> {
    let Some(path) = read_path(&mut stream).await? else {
        return Ok(());
    };
    requests
        .lock()
        .expect("the site's requests")
        .push(path.clone());
    let reply = routes
        .lock()
        .expect("the site's routes")
        .get(&path)
        .cloned()
        .unwrap_or_else(|| Reply::status(404));
    let mut head = format!(
        "HTTP/1.1 {} {}\r\nContent-Length: {}\r\nConnection: close\r\n",
        reply.status,
        reason(reply.status),
        reply.body.len()
    );
    for (name, value) in &reply.headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str("\r\n");
    stream.write_all(head.as_bytes()).await?;
    stream.write_all(&reply.body).await?;
    stream.shutdown().await
}

/// The path of the request's target (without its query), once its head has arrived.
async fn read_path(stream: &mut TcpStream) -> std::io::Result<Option<String>> {
    let mut head = Vec::with_capacity(1024);
    let mut buffer = [0_u8; 1024];
    while !head.windows(4).any(|w| w == b"\r\n\r\n") {
        if head.len() > MAX_HEAD {
            return Ok(None);
        }
        let read = stream.read(&mut buffer).await?;
        if read == 0 {
            return Ok(None);
        }
        head.extend_from_slice(buffer.get(..read).unwrap_or_default());
    }
    let text = String::from_utf8_lossy(&head);
    let target = text
        .lines()
        .next()
        .and_then(|line| line.split_whitespace().nth(1))
        .unwrap_or("/");
    let path = target.split('?').next().unwrap_or("/");
    Ok(Some(path.to_owned()))
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        301 => "Moved Permanently",
        302 => "Found",
        404 => "Not Found",
        500 => "Internal Server Error",
        _ => "Status",
    }
}
