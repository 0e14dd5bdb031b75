//! Which configured URLs may stay plain `http://`: only those to this machine (the simulators,
//! a backend on loopback), so tokens and passwords never cross a network in clear text.

/// A loopback IP (127.0.0.0/8, ::1) or `localhost`; false without a host.
pub(crate) fn is_loopback_host(url: &url::Url) -> bool {
    match url.host() {
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        Some(url::Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_this_machine_is_loopback() {
        for (url, loopback) in [
            ("http://127.0.0.1:8080/x", true),
            ("http://127.0.0.2/", true),
            ("http://[::1]:9/", true),
            ("http://LocalHost/", true),
            ("http://localhost.example/", false),
            ("http://10.0.0.1/", false),
            ("http://[::2]/", false),
            ("mailto:a@b", false),
        ] {
            assert_eq!(
                is_loopback_host(&url::Url::parse(url).unwrap()),
                loopback,
                "{url}"
            );
        }
    }
}
