//! A real HTTP server on 127.0.0.1 for the tests of sources over HTTP: it serves bodies with
//! ETags, answers 304 to a matching If-None-Match, and can fail, stall or cut bodies short.

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

#[derive(Debug, Clone)]
pub enum Behaviour {
    Serve {
        body: Vec<u8>,
        etag: String,
    },
    /// Answer `status` (with `Retry-After` when given) `times` times, then serve.
    FailFirst {
        times: usize,
        status: u16,
        retry_after: Option<u64>,
        body: Vec<u8>,
        etag: String,
    },
    /// Read the request and never answer.
    Hang,
    /// Promise `claimed` bytes and send only the body, then close.
    Truncate {
        body: Vec<u8>,
        claimed: usize,
    },
}

#[derive(Debug, Clone)]
pub struct Request {
    pub path: String,
    pub if_none_match: Option<String>,
    pub accept: Option<String>,
    pub at: Instant,
    pub status: u16,
}

#[derive(Clone)]
pub struct Server {
    pub base: String,
    routes: Arc<Mutex<HashMap<String, Behaviour>>>,
    requests: Arc<Mutex<Vec<Request>>>,
}

impl Server {
    pub fn start() -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let server = Server {
            base,
            routes: Arc::new(Mutex::new(HashMap::new())),
            requests: Arc::new(Mutex::new(Vec::new())),
        };
        let shared = server.clone();
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let server = shared.clone();
                std::thread::spawn(move || server.handle(stream));
            }
        });
        server
    }

    pub fn route(&self, path: &str, behaviour: Behaviour) {
        self.routes
            .lock()
            .unwrap()
            .insert(path.to_owned(), behaviour);
    }

    pub fn serve(&self, path: &str, body: Vec<u8>) {
        let etag = format!(
            "\"{:x}\"",
            body.len() * 31 + body.iter().map(|&b| b as usize).sum::<usize>()
        );
        self.route(path, Behaviour::Serve { body, etag });
    }

    pub fn requests(&self, path: &str) -> Vec<Request> {
        self.requests
            .lock()
            .unwrap()
            .iter()
            .filter(|r| r.path == path)
            .cloned()
            .collect()
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    fn handle(&self, mut stream: TcpStream) {
        let mut reader = BufReader::new(stream.try_clone().unwrap());
        let mut request_line = String::new();
        if reader.read_line(&mut request_line).is_err() {
            return;
        }
        let path = request_line
            .split_whitespace()
            .nth(1)
            .unwrap_or("/")
            .to_owned();
        let mut if_none_match = None;
        let mut accept = None;
        loop {
            let mut line = String::new();
            if reader.read_line(&mut line).unwrap_or(0) == 0 || line == "\r\n" {
                break;
            }
            if let Some((name, value)) = line.split_once(':') {
                if name.eq_ignore_ascii_case("if-none-match") {
                    if_none_match = Some(value.trim().to_owned());
                } else if name.eq_ignore_ascii_case("accept") {
                    accept = Some(value.trim().to_owned());
                }
            }
        }
        let behaviour = {
            let mut routes = self.routes.lock().unwrap();
            let behaviour = routes.get(&path).cloned();
            if let Some(Behaviour::FailFirst {
                times,
                status,
                retry_after,
                body,
                etag,
            }) = &behaviour
            {
                let next = if *times <= 1 {
                    Behaviour::Serve {
                        body: body.clone(),
                        etag: etag.clone(),
                    }
                } else {
                    Behaviour::FailFirst {
                        times: times - 1,
                        status: *status,
                        retry_after: *retry_after,
                        body: body.clone(),
                        etag: etag.clone(),
                    }
                };
                routes.insert(path.clone(), next);
            }
            behaviour
        };
        let log = |status: u16| {
            self.requests.lock().unwrap().push(Request {
                path: path.clone(),
                if_none_match: if_none_match.clone(),
                accept: accept.clone(),
                at: Instant::now(),
                status,
            })
        };
        let _ = match behaviour {
            None => {
                log(404);
                stream.write_all(
                    b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
                )
            }
            Some(Behaviour::Serve { body, etag }) => {
                if if_none_match.as_deref() == Some(etag.as_str()) {
                    log(304);
                    stream.write_all(
                        format!(
                            "HTTP/1.1 304 Not Modified\r\nETag: {etag}\r\nConnection: close\r\n\r\n"
                        )
                        .as_bytes(),
                    )
                } else {
                    log(200);
                    let head = format!(
                        "HTTP/1.1 200 OK\r\nContent-Type: text/csv\r\nContent-Length: {}\r\nETag: {etag}\r\nConnection: close\r\n\r\n",
                        body.len()
                    );
                    stream
                        .write_all(head.as_bytes())
                        .and_then(|_| stream.write_all(&body))
                }
            }
            Some(Behaviour::FailFirst {
                status,
                retry_after,
                ..
            }) => {
                log(status);
                let retry = retry_after
                    .map(|s| format!("Retry-After: {s}\r\n"))
                    .unwrap_or_default();
                stream.write_all(
                    format!("HTTP/1.1 {status} Failing\r\n{retry}Content-Length: 0\r\nConnection: close\r\n\r\n").as_bytes(),
                )
            }
            Some(Behaviour::Hang) => {
                log(0);
                std::thread::sleep(Duration::from_secs(120));
                Ok(())
            }
            Some(Behaviour::Truncate { body, claimed }) => {
                log(200);
                let head = format!(
                    "HTTP/1.1 200 OK\r\nContent-Length: {claimed}\r\nETag: \"cut\"\r\nConnection: close\r\n\r\n"
                );
                stream
                    .write_all(head.as_bytes())
                    .and_then(|_| stream.write_all(&body))
            }
        };
        let _ = stream.flush();
        let _ = stream.shutdown(std::net::Shutdown::Both);
    }
}
