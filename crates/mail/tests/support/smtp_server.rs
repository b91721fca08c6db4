//! A real SMTP server on a loopback port for tests: the `mailin` crate's server state machine (an
//! implementation independent of lettre, which Joule sends with), driven over a TCP socket by a few lines
//! here. Included by path from the mail crate's delivery tests and the API's end-to-end tests.

#![allow(dead_code)]

use std::io::{BufRead, BufReader, Write};
use std::net::{IpAddr, SocketAddr, TcpListener, TcpStream};
use std::sync::{Arc, Mutex};
use std::thread;

use mailin::{Action, Handler, Response, SessionBuilder, response};

/// What the server received in one transaction.
#[derive(Debug, Default, Clone)]
pub struct Received {
    pub from: String,
    pub to: Vec<String>,
    pub data: Vec<u8>,
}

#[derive(Clone)]
struct Recorder {
    received: Arc<Mutex<Vec<Received>>>,
    current: Received,
    /// Refuse every recipient with this reply.
    refuse_rcpt: Option<(u16, &'static str)>,
}

impl Handler for Recorder {
    fn mail(&mut self, _ip: IpAddr, _domain: &str, from: &str) -> Response {
        self.current = Received { from: from.to_owned(), ..Received::default() };
        response::OK
    }

    fn rcpt(&mut self, to: &str) -> Response {
        if let Some((code, text)) = self.refuse_rcpt {
            return Response::custom(code, text.to_owned());
        }
        self.current.to.push(to.to_owned());
        response::OK
    }

    fn data(&mut self, buf: &[u8]) -> std::io::Result<()> {
        self.current.data.extend_from_slice(buf);
        Ok(())
    }

    fn data_end(&mut self) -> Response {
        self.received.lock().unwrap().push(std::mem::take(&mut self.current));
        response::OK
    }
}

pub struct TestServer {
    pub addr: SocketAddr,
    pub received: Arc<Mutex<Vec<Received>>>,
}

/// Starts an SMTP server on a free loopback port, serving each connection on a thread of its own. It
/// runs until the test process ends.
pub fn start_server(refuse_rcpt: Option<(u16, &'static str)>) -> TestServer {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let received = Arc::new(Mutex::new(Vec::new()));
    let recorder = Recorder { received: received.clone(), current: Received::default(), refuse_rcpt };
    thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(stream) = stream else { continue };
            let recorder = recorder.clone();
            thread::spawn(move || serve(stream, recorder));
        }
    });
    TestServer { addr, received }
}

fn serve(stream: TcpStream, recorder: Recorder) {
    let peer = stream.peer_addr().unwrap().ip();
    let mut session = SessionBuilder::new("smtp.test").build(peer, recorder);
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    let mut writer = stream;
    let mut reply = |response: &Response| response.write_to(&mut writer).and_then(|()| writer.flush()).is_ok();
    if !reply(&session.greeting()) {
        return;
    }
    let mut line = Vec::new();
    loop {
        line.clear();
        match reader.read_until(b'\n', &mut line) {
            Ok(0) | Err(_) => return,
            Ok(_) => {}
        }
        let response = session.process(&line);
        match response.action {
            Action::Reply => {
                if !reply(&response) {
                    return;
                }
            }
            Action::Close | Action::UpgradeTls => {
                reply(&response);
                return;
            }
            Action::NoReply => {}
        }
    }
}

impl TestServer {
    /// The messages received so far, as text.
    pub fn messages(&self) -> Vec<String> {
        self.received.lock().unwrap().iter().map(|r| String::from_utf8_lossy(&r.data).into_owned()).collect()
    }
}
