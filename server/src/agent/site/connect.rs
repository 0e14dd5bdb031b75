//! Opens the agent's connection: TCP (directly or through an HTTP CONNECT proxy), TLS verified
//! against the pinned CA (or the system roots), then the WebSocket upgrade carrying the credential.
use std::{path::Path, sync::Arc, time::Duration};

use anyhow::Context as _;
use hyper_util::client::{
    legacy::connect::{proxy::Tunnel, HttpConnector},
    proxy::matcher::Matcher,
};
use rustls::pki_types::{pem::PemObject as _, CertificateDer, ServerName};
use tokio::net::TcpStream;
use tokio_rustls::{client::TlsStream, TlsConnector};
use tokio_tungstenite::{
    tungstenite::{client::IntoClientRequest as _, http::HeaderValue, protocol::WebSocketConfig},
    WebSocketStream,
};
use tower::ServiceExt as _;

use crate::agent::protocol::{CONNECT_PATH, MAX_FRAME_BYTES, VERSION_HEADER};

/// How long one connection attempt (TCP + proxy + TLS + upgrade) may take.
pub const CONNECT_TIMEOUT: Duration = Duration::from_secs(15);

/// A byte stream under the WebSocket: TLS to the backend (plain only for loopback tests).
pub trait Io: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin + Send {}
impl<T: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin + Send> Io for T {}

/// The agent's WebSocket.
pub type AgentSocket = WebSocketStream<Box<dyn Io>>;

/// Why a connection attempt failed: retried, or a configuration the agent cannot fix by retrying.
#[derive(Debug, thiserror::Error)]
pub enum ConnectError {
    /// Network, proxy or backend trouble: try again later.
    #[error("{0:#}")]
    Retry(anyhow::Error),
    /// The backend refused the credential (revoked or unknown): retrying cannot help.
    #[error("the backend refused this agent's credential (HTTP {0}): it was revoked or replaced; enrol the agent again")]
    Refused(u16),
}

/// Everything needed to dial the backend; built once per `agent run`.
pub struct Dialer {
    server: url::Url,
    tls: TlsConnector,
    proxies: Matcher,
}

impl Dialer {
    /// `server` is the backend's base URL; `ca_file` pins its CA; `proxy` overrides the environment.
    pub fn new(
        server: &url::Url,
        ca_file: Option<&Path>,
        proxy: Option<&str>,
    ) -> anyhow::Result<Self> {
        let roots = roots(ca_file)?;
        let mut config = rustls::ClientConfig::builder_with_provider(Arc::new(
            rustls::crypto::ring::default_provider(),
        ))
        .with_safe_default_protocol_versions()?
        .with_root_certificates(roots)
        .with_no_client_auth();
        config.alpn_protocols = vec![b"http/1.1".to_vec()];
        let proxies = match proxy {
            Some(p) => Matcher::builder()
                .https(p.to_string())
                .http(p.to_string())
                .no(std::env::var("NO_PROXY")
                    .or_else(|_| std::env::var("no_proxy"))
                    .unwrap_or_default())
                .build(),
            None => Matcher::from_env(),
        };
        Ok(Self {
            server: server.clone(),
            tls: TlsConnector::from(Arc::new(config)),
            proxies,
        })
    }

    /// The WebSocket URL derived from the server URL (keeps a path prefix of a reverse proxy).
    fn connect_url(&self) -> url::Url {
        let mut url = self.server.clone();
        let path = format!("{}{CONNECT_PATH}", url.path().trim_end_matches('/'));
        url.set_path(&path);
        let _ = url.set_scheme(if url.scheme() == "https" { "wss" } else { "ws" });
        url
    }

    /// Whether (and through what) the connection goes via a proxy, for the log.
    pub fn proxy_for_log(&self) -> Option<String> {
        let uri: hyper::Uri = self.server.as_str().parse().ok()?;
        self.proxies.intercept(&uri).map(|i| {
            let u = i.uri();
            format!(
                "{}://{}",
                u.scheme_str().unwrap_or("http"),
                u.authority().map(|a| a.as_str()).unwrap_or("")
            )
        })
    }

    /// One attempt, bounded by [`CONNECT_TIMEOUT`].
    pub async fn dial(&self, credential: &str) -> Result<AgentSocket, ConnectError> {
        match tokio::time::timeout(CONNECT_TIMEOUT, self.dial_inner(credential)).await {
            Ok(r) => r,
            Err(_) => Err(ConnectError::Retry(anyhow::anyhow!(
                "no connection within {} s",
                CONNECT_TIMEOUT.as_secs()
            ))),
        }
    }

    async fn dial_inner(&self, credential: &str) -> Result<AgentSocket, ConnectError> {
        let host = self.server.host_str().unwrap_or_default().to_string();
        let port = self.server.port_or_known_default().unwrap_or(443);
        let tcp = self.tcp(&host, port).await.map_err(ConnectError::Retry)?;
        let stream: Box<dyn Io> = if self.server.scheme() == "https" {
            let name = ServerName::try_from(host.trim_matches(['[', ']']).to_string())
                .map_err(|e| ConnectError::Retry(anyhow::anyhow!("{host}: {e}")))?;
            let tls: TlsStream<TcpStream> = self.tls.connect(name, tcp).await.map_err(|e| {
                ConnectError::Retry(anyhow::Error::new(e).context(
                    "TLS handshake with the backend failed (a TLS-inspecting proxy, or the wrong ca_file?)",
                ))
            })?;
            Box::new(tls)
        } else {
            Box::new(tcp)
        };
        let mut request = self
            .connect_url()
            .as_str()
            .into_client_request()
            .map_err(|e| ConnectError::Retry(e.into()))?;
        let headers = request.headers_mut();
        let bearer = zeroize::Zeroizing::new(format!("Bearer {credential}"));
        let mut auth = HeaderValue::from_str(&bearer).map_err(|_| {
            ConnectError::Retry(anyhow::anyhow!(
                "the credential file holds an unusable credential"
            ))
        })?;
        auth.set_sensitive(true);
        headers.insert("authorization", auth);
        headers.insert(
            VERSION_HEADER,
            HeaderValue::from_static(env!("CARGO_PKG_VERSION")),
        );
        let config = WebSocketConfig::default()
            .max_message_size(Some(MAX_FRAME_BYTES))
            .max_frame_size(Some(MAX_FRAME_BYTES));
        match tokio_tungstenite::client_async_with_config(request, stream, Some(config)).await {
            Ok((socket, _)) => Ok(socket),
            Err(tokio_tungstenite::tungstenite::Error::Http(response))
                if matches!(response.status().as_u16(), 401 | 403) =>
            {
                Err(ConnectError::Refused(response.status().as_u16()))
            }
            Err(e) => Err(ConnectError::Retry(
                anyhow::Error::new(e).context("the WebSocket upgrade failed"),
            )),
        }
    }

    async fn tcp(&self, host: &str, port: u16) -> anyhow::Result<TcpStream> {
        let target: hyper::Uri = format!("https://{host}:{port}")
            .parse()
            .context("the server URL has an unusable host")?;
        let stream = match self.proxies.intercept(&target) {
            Some(proxy) => {
                let mut tunnel = Tunnel::new(proxy.uri().clone(), HttpConnector::new());
                if let Some(auth) = proxy.basic_auth() {
                    tunnel = tunnel.with_auth(auth.clone());
                }
                let io = tunnel.oneshot(target).await.map_err(|e| {
                    anyhow::anyhow!("the proxy {} did not open a tunnel: {e:?}", proxy.uri())
                })?;
                io.into_inner()
            }
            None => TcpStream::connect((host.trim_matches(['[', ']']), port))
                .await
                .with_context(|| format!("cannot reach {host}:{port}"))?,
        };
        let _ = stream.set_nodelay(true);
        Ok(stream)
    }
}

fn roots(ca_file: Option<&Path>) -> anyhow::Result<rustls::RootCertStore> {
    let mut roots = rustls::RootCertStore::empty();
    match ca_file {
        Some(path) => {
            let pem = std::fs::read(path)
                .with_context(|| format!("cannot read ca_file {}", path.display()))?;
            for cert in CertificateDer::pem_slice_iter(&pem) {
                roots
                    .add(
                        cert.with_context(|| format!("{}: not a PEM certificate", path.display()))?,
                    )
                    .with_context(|| format!("{}: unusable CA certificate", path.display()))?;
            }
            anyhow::ensure!(!roots.is_empty(), "{} holds no certificate", path.display());
        }
        None => {
            for cert in rustls_native_certs::load_native_certs().certs {
                let _ = roots.add(cert);
            }
            anyhow::ensure!(
                !roots.is_empty(),
                "no system CA certificates found; set ca_file"
            );
        }
    }
    Ok(roots)
}
