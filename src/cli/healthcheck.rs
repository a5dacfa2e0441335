//! `tweetguard healthcheck`: GET `http://HTTP_ADDR/healthz` (or another path) and exit 0 on
//! `200`, 1 otherwise. For container HEALTHCHECKs and probes where the runtime image has no
//! curl or wget: the binary probes itself.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream, ToSocketAddrs};
use std::time::Duration;

use clap::Args;

use super::serve::DEFAULT_HTTP_ADDR;

/// `tweetguard healthcheck`.
#[derive(Debug, Clone, Args)]
pub struct HealthcheckArgs {
    /// Where `serve` listens (host:port); a wildcard address (0.0.0.0, [::]) is probed on the
    /// loopback.
    #[arg(long, env = "HTTP_ADDR", default_value = DEFAULT_HTTP_ADDR)]
    pub http_addr: String,
    /// What to ask: `/healthz` (alive) or `/readyz` (ready for work).
    #[arg(long, default_value = "/healthz")]
    pub path: String,
    /// Give up after this many seconds.
    #[arg(long, default_value_t = 3)]
    pub timeout: u64,
}

/// Why the probe failed.
#[derive(Debug, thiserror::Error)]
pub enum HealthcheckError {
    #[error("cannot resolve {0}")]
    Resolve(String),
    #[error("{addr}: {source}")]
    Io {
        addr: String,
        #[source]
        source: std::io::Error,
    },
    #[error("{path} answered: {status}")]
    Status { path: String, status: String },
}

/// Probe once; `Ok` when the answer is `200`.
pub fn run(args: &HealthcheckArgs) -> Result<(), HealthcheckError> {
    let addr = target(&args.http_addr)?;
    let io = |source| HealthcheckError::Io {
        addr: addr.to_string(),
        source,
    };
    let timeout = Duration::from_secs(args.timeout.max(1));
    let mut stream = TcpStream::connect_timeout(&addr, timeout).map_err(io)?;
    stream.set_read_timeout(Some(timeout)).map_err(io)?;
    stream.set_write_timeout(Some(timeout)).map_err(io)?;
    let path = if args.path.starts_with('/') {
        args.path.clone()
    } else {
        format!("/{}", args.path)
    };
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
    )
    .map_err(io)?;
    let mut head = Vec::new();
    stream.take(4096).read_to_end(&mut head).map_err(io)?;
    let text = String::from_utf8_lossy(&head);
    let status = text.lines().next().unwrap_or("").to_string();
    if status.split_whitespace().nth(1) == Some("200") {
        Ok(())
    } else {
        Err(HealthcheckError::Status { path, status })
    }
}

/// The address to probe: `HTTP_ADDR`, with a wildcard host replaced by the loopback.
fn target(http_addr: &str) -> Result<SocketAddr, HealthcheckError> {
    let mut addr = http_addr
        .trim()
        .to_socket_addrs()
        .ok()
        .and_then(|mut a| a.next())
        .ok_or_else(|| HealthcheckError::Resolve(http_addr.to_string()))?;
    if addr.ip().is_unspecified() {
        addr.set_ip(if addr.is_ipv4() {
            std::net::Ipv4Addr::LOCALHOST.into()
        } else {
            std::net::Ipv6Addr::LOCALHOST.into()
        });
    }
    Ok(addr)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_wildcard_address_is_probed_on_the_loopback() {
        let a = target("0.0.0.0:8080").ok();
        assert_eq!(a, "127.0.0.1:8080".parse().ok());
        let b = target("[::]:9000").ok();
        assert_eq!(b, "[::1]:9000".parse().ok());
        assert!(target("no port").is_err());
    }
}
