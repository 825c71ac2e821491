//! The network, as the signing code sees it: a time-stamp authority (RFC 3161 over HTTP,
//! §3.4), OCSP responders (RFC 6960 Appendix A) and CRL distribution points (RFC 5280
//! §4.2.1.13) are reached through this trait, which the caller implements. The library
//! itself does no I/O, so tests and embedders decide how (and whether) requests leave the
//! machine, and the signing code stays a function of its inputs and the responses.

/// Sends requests on behalf of the long-term signing profiles.
pub trait Fetch {
    /// POSTs `body` with the given `Content-Type` to `url` and returns the response body.
    /// An HTTP status other than 200 is an error.
    ///
    /// # Errors
    /// A sentence saying what failed (connection refused, HTTP 500, …).
    fn post(&mut self, url: &str, content_type: &str, body: &[u8]) -> Result<Vec<u8>, String>;

    /// GETs `url` and returns the response body. An HTTP status other than 200 is an error.
    ///
    /// # Errors
    /// A sentence saying what failed.
    fn get(&mut self, url: &str) -> Result<Vec<u8>, String>;
}
