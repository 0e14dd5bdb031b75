//! The accept loop of `passdesk serve` and `passdesk demo`: optional TLS (rustls), HTTP/1.1 with
//! WebSocket upgrades (site agents), and limits that a hostile or broken peer cannot outlast — a
//! TLS handshake deadline, a header read deadline, an idle deadline and a cap on open connections.
use std::{
    net::SocketAddr,
    path::Path,
    pin::Pin,
    sync::{
        atomic::{AtomicI64, Ordering},
        Arc,
    },
    task::{Context, Poll},
    time::Duration,
};

use anyhow::Context as _;
use axum::Router;
use hyper_util::{
    rt::{TokioExecutor, TokioIo, TokioTimer},
    server::{conn::auto, graceful::GracefulShutdown},
    service::TowerToHyperService,
};
use rustls::pki_types::{pem::PemObject as _, CertificateDer, PrivateKeyDer};
use tokio::{
    io::{AsyncRead, AsyncWrite, ReadBuf},
    net::TcpListener,
    sync::Semaphore,
};
use tokio_rustls::TlsAcceptor;

/// The peer address of a connection, as an axum request extension.
#[derive(Debug, Clone, Copy)]
pub struct RemoteAddr(pub SocketAddr);

/// Limits of one listener.
#[derive(Debug, Clone)]
pub struct Limits {
    /// A TLS handshake must finish within this.
    pub tls_handshake: Duration,
    /// A request's headers must arrive within this (slow-loris).
    pub header_read: Duration,
    /// A connection with no byte in either direction for this long is closed (before any upgrade;
    /// upgraded agent connections are governed by their heartbeats).
    pub idle: Duration,
    /// Most connections open at once (each site agent holds one).
    pub max_connections: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            tls_handshake: Duration::from_secs(10),
            header_read: Duration::from_secs(30),
            idle: Duration::from_secs(60),
            max_connections: 20_000,
        }
    }
}

/// Reads a PEM certificate chain and private key into a TLS acceptor (HTTP/1.1 via ALPN).
pub fn tls_acceptor(cert_file: &Path, key_file: &Path) -> anyhow::Result<TlsAcceptor> {
    let chain: Vec<CertificateDer<'static>> = CertificateDer::pem_file_iter(cert_file)
        .with_context(|| format!("cannot read tls_cert_file {}", cert_file.display()))?
        .collect::<Result<_, _>>()
        .with_context(|| {
            format!(
                "tls_cert_file {} holds no valid PEM certificate",
                cert_file.display()
            )
        })?;
    anyhow::ensure!(
        !chain.is_empty(),
        "tls_cert_file {} holds no certificate",
        cert_file.display()
    );
    let key = PrivateKeyDer::from_pem_file(key_file).with_context(|| {
        format!(
            "cannot read a PEM private key from tls_key_file {}",
            key_file.display()
        )
    })?;
    let mut config = rustls::ServerConfig::builder_with_provider(Arc::new(
        rustls::crypto::ring::default_provider(),
    ))
    .with_safe_default_protocol_versions()?
    .with_no_client_auth()
    .with_single_cert(chain, key)
    .context("the TLS certificate and key do not match")?;
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok(TlsAcceptor::from(Arc::new(config)))
}

/// Serves `app` on `listener` until `shutdown` resolves, then lets requests in flight finish (at
/// most `drain` long).
pub async fn serve(
    listener: TcpListener,
    app: Router,
    tls: Option<TlsAcceptor>,
    limits: Limits,
    shutdown: impl std::future::Future<Output = ()>,
    drain: Duration,
) {
    let graceful = GracefulShutdown::new();
    let slots = Arc::new(Semaphore::new(limits.max_connections));
    let mut builder = auto::Builder::new(TokioExecutor::new());
    builder
        .http1()
        .timer(TokioTimer::new())
        .header_read_timeout(limits.header_read)
        .max_buf_size(64 * 1024);
    let builder = Arc::new(builder.http1_only());
    tokio::pin!(shutdown);
    loop {
        let permit = tokio::select! {
            permit = slots.clone().acquire_owned() => match permit { Ok(p) => p, Err(_) => break },
            _ = &mut shutdown => break,
        };
        let (tcp, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(a) => a,
                Err(e) => {
                    // EMFILE and friends: wait a little instead of spinning.
                    tracing::warn!(error = %e, "accept failed");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            _ = &mut shutdown => break,
        };
        let _ = tcp.set_nodelay(true);
        let app = app.clone();
        let tls = tls.clone();
        let builder = builder.clone();
        let watcher = graceful.watcher();
        let limits = limits.clone();
        tokio::spawn(async move {
            let _permit = permit;
            let io: Box<dyn Io> = match tls {
                Some(acceptor) => {
                    match tokio::time::timeout(limits.tls_handshake, acceptor.accept(tcp)).await {
                        Ok(Ok(stream)) => Box::new(stream),
                        Ok(Err(e)) => {
                            tracing::debug!(peer = %peer, error = %e, "TLS handshake failed");
                            return;
                        }
                        Err(_) => {
                            tracing::debug!(peer = %peer, "TLS handshake timed out");
                            return;
                        }
                    }
                }
                None => Box::new(tcp),
            };
            let activity = Arc::new(AtomicI64::new(now_ms()));
            let io = Tracked {
                inner: io,
                activity: activity.clone(),
            };
            let service = TowerToHyperService::new(app.layer(axum::Extension(RemoteAddr(peer))));
            let conn = builder
                .serve_connection_with_upgrades(TokioIo::new(io), service)
                .into_owned();
            let conn = watcher.watch(conn);
            tokio::pin!(conn);
            let idle_ms = i64::try_from(limits.idle.as_millis()).unwrap_or(i64::MAX);
            let mut check = tokio::time::interval(limits.idle.min(Duration::from_secs(5)));
            loop {
                tokio::select! {
                    _ = &mut conn => break,
                    _ = check.tick() => {
                        if now_ms().saturating_sub(activity.load(Ordering::Relaxed)) > idle_ms {
                            tracing::debug!(peer = %peer, "idle connection closed");
                            break;
                        }
                    }
                }
            }
        });
    }
    drop(listener);
    if tokio::time::timeout(drain, graceful.shutdown())
        .await
        .is_err()
    {
        tracing::warn!("connections still open after the shutdown grace period were closed");
    }
}

fn now_ms() -> i64 {
    chrono::Utc::now().timestamp_millis()
}

trait Io: AsyncRead + AsyncWrite + Unpin + Send {}
impl<T: AsyncRead + AsyncWrite + Unpin + Send> Io for T {}

/// Records the time of the last byte read or written (the idle deadline).
struct Tracked {
    inner: Box<dyn Io>,
    activity: Arc<AtomicI64>,
}

impl Tracked {
    fn touch(&self) {
        self.activity.store(now_ms(), Ordering::Relaxed);
    }
}

impl AsyncRead for Tracked {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<std::io::Result<()>> {
        let before = buf.filled().len();
        let r = Pin::new(&mut self.inner).poll_read(cx, buf);
        if matches!(r, Poll::Ready(Ok(()))) && buf.filled().len() > before {
            self.touch();
        }
        r
    }
}

impl AsyncWrite for Tracked {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        data: &[u8],
    ) -> Poll<std::io::Result<usize>> {
        let r = Pin::new(&mut self.inner).poll_write(cx, data);
        if matches!(r, Poll::Ready(Ok(n)) if n > 0) {
            self.touch();
        }
        r
    }
    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.inner).poll_flush(cx)
    }
    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.inner).poll_shutdown(cx)
    }
}
