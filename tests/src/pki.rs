//! A real PKI on localhost for the long-term signature tests: certomancer (PyPI) serves a
//! time-stamping authority (RFC 3161), an OCSP responder (RFC 6960) and CRLs from
//! `tests/data/pki/certomancer.yml`, with keys made by `openssl` for this run only.
//!
//! [`Pki::start`] writes the keys and certificates into a directory and starts the server;
//! [`Pki::stop`] (or dropping it) stops it, so a test can show that validation needs no
//! network afterwards. `cargo xtask reports` uses the same file (by `#[path]`) for the signed
//! B-LTA sample report.

use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// The keys of the PKI, named as in the configuration.
const KEYS: [&str; 5] = ["root", "interm", "tsa", "ocsp", "signer"];

/// A running test PKI.
pub struct Pki {
    dir: PathBuf,
    pub port: u16,
    server: Option<Child>,
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port on localhost")
}

fn check(program: &str, args: &[&str], dir: &Path) {
    let out = Command::new(program)
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap_or_else(|e| panic!("cannot run {program}: {e}"));
    assert!(
        out.status.success(),
        "{program} {args:?}: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

impl Pki {
    /// Makes the keys and certificates of the configuration `config` (the repository's
    /// `tests/data/pki/certomancer.yml`) in `dir` and starts the server; waits until it
    /// answers.
    pub fn start(config: &Path, dir: &Path) -> Pki {
        let dir = dir.to_path_buf();
        let port = free_port();
        let template = std::fs::read_to_string(config).expect("the PKI configuration");
        std::fs::write(
            dir.join("certomancer.yml"),
            template.replace("@PORT@", &port.to_string()),
        )
        .expect("write the configuration");
        std::fs::create_dir_all(dir.join("keys")).expect("keys directory");
        for key in KEYS {
            let out = format!("keys/{key}.key.pem");
            check(
                "openssl",
                &[
                    "genpkey",
                    "-algorithm",
                    "EC",
                    "-pkeyopt",
                    "ec_paramgen_curve:P-256",
                    "-out",
                    &out,
                ],
                &dir,
            );
        }
        check(
            "certomancer",
            &[
                "--config",
                "certomancer.yml",
                "mass-summon",
                "audit",
                "certs",
            ],
            &dir,
        );
        let mut pki = Pki {
            dir,
            port,
            server: None,
        };
        pki.serve();
        pki
    }

    fn serve(&mut self) {
        let child = Command::new("certomancer")
            .args([
                "--config",
                "certomancer.yml",
                "animate",
                "--no-web-ui",
                "--port",
            ])
            .arg(self.port.to_string())
            .current_dir(&self.dir)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start certomancer");
        self.server = Some(child);
        let start = Instant::now();
        while TcpStream::connect(("127.0.0.1", self.port)).is_err() {
            assert!(
                start.elapsed() < Duration::from_secs(30),
                "certomancer did not start on port {}",
                self.port
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// Stops the server: nothing answers on its port afterwards.
    pub fn stop(&mut self) {
        if let Some(mut child) = self.server.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    /// The time-stamping authority's URL.
    pub fn tsa_url(&self) -> String {
        format!("http://127.0.0.1:{}/audit/tsa/tsa", self.port)
    }

    /// A file of the PKI directory.
    pub fn path(&self, rel: &str) -> PathBuf {
        self.dir.join(rel)
    }

    /// The signer's key, certificate and chain (issuing CA then root), as `xborder audit`
    /// flags.
    pub fn signing_flags(&self) -> Vec<String> {
        let chain = self.path("chain.pem");
        if !chain.exists() {
            let mut text = std::fs::read_to_string(self.path("certs/root/interm.cert.pem"))
                .expect("the issuing CA's certificate");
            text.push_str(
                &std::fs::read_to_string(self.root_cert()).expect("the root certificate"),
            );
            std::fs::write(&chain, text).expect("write the chain");
        }
        [
            "--key",
            &self.path("keys/signer.key.pem").display().to_string(),
            "--cert",
            &self
                .path("certs/interm/signer.cert.pem")
                .display()
                .to_string(),
            "--chain",
            &chain.display().to_string(),
        ]
        .map(str::to_string)
        .to_vec()
    }

    /// The root certificate: the trust anchor.
    pub fn root_cert(&self) -> PathBuf {
        self.path("certs/root/root.cert.pem")
    }
}

impl Drop for Pki {
    fn drop(&mut self) {
        self.stop();
    }
}
