//! The network for long-term signatures: RFC 3161 time-stamp requests (§3.4) and OCSP
//! requests (RFC 6960 Appendix A.1) are POSTed, CRLs (RFC 5280 §4.2.1.13) fetched with GET,
//! all over plain HTTP. That is what these services speak: their answers are signed, so
//! they need no TLS, and fetching a CRL over TLS would need the very revocation checks it
//! serves. No TLS is built in, and an `https://` URL is refused with that reason.

use std::io::Read as _;
use std::time::Duration;

use xborder_sign::Fetch;

/// Largest answer read: a CRL of a large CA stays well below this.
const MAX_ANSWER: u64 = 32 * 1024 * 1024;

/// How long one request may take, connection included.
const TIMEOUT: Duration = Duration::from_secs(30);

/// Plain-HTTP requests through ureq.
pub struct Http {
    agent: ureq::Agent,
}

impl Http {
    /// An agent that treats any status but 2xx as an error and gives up after [`TIMEOUT`].
    pub fn new() -> Self {
        let config = ureq::Agent::config_builder()
            .timeout_global(Some(TIMEOUT))
            .http_status_as_error(true)
            .build();
        Http {
            agent: config.into(),
        }
    }
}

fn plain_http(url: &str) -> Result<(), String> {
    if url.starts_with("http://") {
        Ok(())
    } else {
        Err(format!(
            "{url} is not a plain http:// URL; time-stamps, OCSP responses and CRLs are \
             signed, so they are fetched over plain HTTP (use the service's http:// address)"
        ))
    }
}

fn read(mut response: ureq::http::Response<ureq::Body>, url: &str) -> Result<Vec<u8>, String> {
    let mut out = Vec::new();
    response
        .body_mut()
        .as_reader()
        .take(MAX_ANSWER)
        .read_to_end(&mut out)
        .map_err(|e| format!("{url}: cannot read the answer: {e}"))?;
    Ok(out)
}

impl Fetch for Http {
    fn post(&mut self, url: &str, content_type: &str, body: &[u8]) -> Result<Vec<u8>, String> {
        plain_http(url)?;
        let response = self
            .agent
            .post(url)
            .header("Content-Type", content_type)
            .send(body)
            .map_err(|e| format!("{url}: {e}"))?;
        read(response, url)
    }

    fn get(&mut self, url: &str) -> Result<Vec<u8>, String> {
        plain_http(url)?;
        let response = self
            .agent
            .get(url)
            .call()
            .map_err(|e| format!("{url}: {e}"))?;
        read(response, url)
    }
}
