//! A small W3C WebDriver client: headless Chromium driven through `chromedriver`, for the
//! browser tests of `xborder view`.
//!
//! Why no HTTP crate: chromedriver listens on localhost and answers plain HTTP/1.1 with small
//! JSON bodies. A request and a response over `std::net::TcpStream` take a few dozen lines,
//! where a client crate would bring its own dependency tree (and a TLS stack we would never
//! use) into the lockfile of a project that speaks no HTTP anywhere else.

use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

/// The key under which WebDriver names an element.
const ELEMENT: &str = "element-6066-11e4-a52e-4f735466cecf";

/// One browser session and the chromedriver serving it; both end when it is dropped.
pub struct Browser {
    port: u16,
    session: String,
    driver: Child,
}

/// An element of the page, by its WebDriver reference.
#[derive(Debug, Clone)]
pub struct Element(String);

impl Browser {
    /// Starts chromedriver on a free port and a headless Chromium with a window of
    /// `width` × `height`; `None` when chromedriver is not installed (outside CI).
    pub fn start(width: u32, height: u32) -> Option<Browser> {
        if !xborder_tests::require_tool("chromedriver") {
            return None;
        }
        let port = free_port();
        let driver = Command::new("chromedriver")
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start chromedriver: {e}"));
        let mut browser = Browser {
            port,
            session: String::new(),
            driver,
        };
        browser.wait_for_driver();
        let mut options = json!({
            "args": ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                     "--hide-scrollbars", format!("--window-size={width},{height}")]
        });
        if let Some(binary) = chromium() {
            options["binary"] = json!(binary.display().to_string());
        }
        let capabilities = json!({"capabilities": {"alwaysMatch": {
            "browserName": "chrome",
            "goog:chromeOptions": options,
            "goog:loggingPrefs": {"browser": "ALL"}
        }}});
        let created = http(port, "POST", "/session", Some(&capabilities))
            .unwrap_or_else(|e| panic!("chromedriver cannot start a browser: {e}"));
        browser.session = created["value"]["sessionId"]
            .as_str()
            .unwrap_or_else(|| panic!("no session id in {created}"))
            .to_string();
        Some(browser)
    }

    fn wait_for_driver(&self) {
        let start = Instant::now();
        while start.elapsed() < Duration::from_secs(20) {
            if let Ok(status) = http(self.port, "GET", "/status", None)
                && status["value"]["ready"] == json!(true)
            {
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        panic!("chromedriver did not become ready on port {}", self.port);
    }

    /// A command of the session; its `value`.
    pub fn command(&self, method: &str, path: &str, body: Option<&Value>) -> Value {
        let path = format!("/session/{}{path}", self.session);
        match http(self.port, method, &path, body) {
            Ok(mut v) => v["value"].take(),
            Err(e) => panic!("WebDriver {method} {path}: {e}"),
        }
    }

    pub fn open(&self, file: &Path) {
        let url = format!("file://{}", file.display());
        self.command("POST", "/url", Some(&json!({ "url": url })));
    }

    /// Runs `script` (a function body) in the page with `args`; its return value.
    pub fn run(&self, script: &str, args: Value) -> Value {
        self.command(
            "POST",
            "/execute/sync",
            Some(&json!({"script": script, "args": args})),
        )
    }

    /// Waits until `script` returns true in the page.
    pub fn wait(&self, script: &str, what: &str) {
        let start = Instant::now();
        while start.elapsed() < Duration::from_secs(60) {
            if self.run(script, json!([])) == json!(true) {
                return;
            }
            std::thread::sleep(Duration::from_millis(30));
        }
        panic!("timed out waiting for {what}");
    }

    pub fn find(&self, css: &str) -> Element {
        let found = self.command(
            "POST",
            "/element",
            Some(&json!({"using": "css selector", "value": css})),
        );
        Element(
            found[ELEMENT]
                .as_str()
                .unwrap_or_else(|| panic!("no element {css}: {found}"))
                .to_string(),
        )
    }

    pub fn click(&self, element: &Element) {
        self.command("POST", &format!("/element/{}/click", element.0), None);
    }

    /// Types `text` into the element (WebDriver key codes such as `\u{E007}` for Enter).
    pub fn keys(&self, element: &Element, text: &str) {
        self.command(
            "POST",
            &format!("/element/{}/value", element.0),
            Some(&json!({ "text": text })),
        );
    }

    /// A real pointer click at a point of the viewport (CSS pixels).
    pub fn click_at(&self, x: f64, y: f64) {
        let actions = json!({"actions": [{"type": "pointer", "id": "mouse",
        "parameters": {"pointerType": "mouse"},
        "actions": [
            {"type": "pointerMove", "origin": "viewport", "x": x.round() as i64, "y": y.round() as i64},
            {"type": "pointerDown", "button": 0},
            {"type": "pointerUp", "button": 0}
        ]}]});
        self.command("POST", "/actions", Some(&actions));
        self.command("DELETE", "/actions", None);
    }

    /// What the page wrote to the console, and its errors, since the last call.
    pub fn console(&self) -> Vec<Value> {
        match self.command("POST", "/se/log", Some(&json!({"type": "browser"}))) {
            Value::Array(entries) => entries,
            other => panic!("unexpected log {other}"),
        }
    }

    /// The viewport as PNG bytes.
    pub fn screenshot(&self) -> Vec<u8> {
        let encoded = self.command("GET", "/screenshot", None);
        xborder_tests::decode_base64(encoded.as_str().unwrap_or_default())
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        if !self.session.is_empty() {
            let path = format!("/session/{}", self.session);
            let _ = http(self.port, "DELETE", &path, None);
        }
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}

/// A port nobody listens on: the system hands one out and it is given back at once.
fn free_port() -> u16 {
    TcpListener::bind(("127.0.0.1", 0))
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .unwrap_or_else(|e| panic!("no free port: {e}"))
}

/// Chromium on the PATH, when chromedriver should be told where it is.
fn chromium() -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .flat_map(|dir| ["chromium", "chromium-browser"].map(|name| dir.join(name)))
        .find(|candidate| candidate.is_file())
}

/// One HTTP/1.1 exchange with chromedriver: the JSON response, or the error it reports.
fn http(port: u16, method: &str, path: &str, body: Option<&Value>) -> Result<Value, String> {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).map_err(|e| e.to_string())?;
    stream
        .set_read_timeout(Some(Duration::from_secs(300)))
        .map_err(|e| e.to_string())?;
    // A POST always carries a JSON object, if an empty one.
    let body = match (body, method) {
        (Some(body), _) => body.to_string(),
        (None, "POST") => "{}".to_string(),
        (None, _) => String::new(),
    };
    let request = format!(
        "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    stream
        .write_all(request.as_bytes())
        .map_err(|e| e.to_string())?;
    let mut reader = BufReader::new(stream);
    let mut status = String::new();
    reader.read_line(&mut status).map_err(|e| e.to_string())?;
    let code: u16 = status
        .split_whitespace()
        .nth(1)
        .and_then(|c| c.parse().ok())
        .ok_or_else(|| format!("not an HTTP response: {status:?}"))?;
    let (mut length, mut chunked) = (None, false);
    loop {
        let mut line = String::new();
        reader.read_line(&mut line).map_err(|e| e.to_string())?;
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        if let Some((name, value)) = line.split_once(':') {
            match name.trim().to_ascii_lowercase().as_str() {
                "content-length" => length = value.trim().parse::<usize>().ok(),
                "transfer-encoding" => chunked = value.to_ascii_lowercase().contains("chunked"),
                _ => {}
            }
        }
    }
    let bytes = read_body(&mut reader, length, chunked).map_err(|e| e.to_string())?;
    let value: Value = serde_json::from_slice(&bytes).map_err(|e| {
        format!(
            "HTTP {code}, not JSON ({e}): {}",
            String::from_utf8_lossy(&bytes)
        )
    })?;
    if code >= 400 {
        return Err(format!("HTTP {code}: {}", value["value"]));
    }
    Ok(value)
}

fn read_body(
    reader: &mut impl BufRead,
    length: Option<usize>,
    chunked: bool,
) -> std::io::Result<Vec<u8>> {
    let mut bytes = Vec::new();
    if chunked {
        loop {
            let mut size = String::new();
            reader.read_line(&mut size)?;
            let size = usize::from_str_radix(size.trim().split(';').next().unwrap_or("0"), 16)
                .unwrap_or(0);
            if size == 0 {
                break;
            }
            let mut chunk = vec![0; size + 2];
            reader.read_exact(&mut chunk)?;
            bytes.extend_from_slice(&chunk[..size]);
        }
    } else if let Some(n) = length {
        bytes.resize(n, 0);
        reader.read_exact(&mut bytes)?;
    } else {
        reader.read_to_end(&mut bytes)?;
    }
    Ok(bytes)
}

#[test]
fn base64_decodes_padded_and_unpadded_text() {
    assert_eq!(xborder_tests::decode_base64("Zm9vYmFy"), b"foobar");
    assert_eq!(xborder_tests::decode_base64("Zm8="), b"fo");
    assert_eq!(xborder_tests::decode_base64("Zg=="), b"f");
}
