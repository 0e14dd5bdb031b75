"""A real SMTP server for the tests (aiosmtpd): STARTTLS required, AUTH required after TLS, mail
delivered into a Maildir the test reads. Started by server/tests/support/smtp.rs.

Usage: smtp_server.py PORT CERT KEY MAILDIR USER   (password in SMTP_TEST_PASSWORD)
Prints READY once it accepts connections; stops when its stdin closes.
"""
import os
import ssl
import sys

from aiosmtpd.controller import Controller
from aiosmtpd.handlers import Mailbox
from aiosmtpd.smtp import AuthResult, LoginPassword


def main():
    port, cert, key, maildir, user = sys.argv[1:6]
    password = os.environ["SMTP_TEST_PASSWORD"]
    tls = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    tls.load_cert_chain(cert, key)

    def authenticator(server, session, envelope, mechanism, auth_data):
        ok = (
            isinstance(auth_data, LoginPassword)
            and auth_data.login == user.encode()
            and auth_data.password == password.encode()
        )
        # handled=False lets aiosmtpd answer 535 itself (with the default handled=True it
        # sends nothing and the client hangs).
        return AuthResult(success=ok, handled=ok)

    controller = Controller(
        Mailbox(maildir),
        hostname="127.0.0.1",
        port=int(port),
        tls_context=tls,
        require_starttls=True,
        authenticator=authenticator,
        auth_require_tls=True,
        auth_required=True,
    )
    controller.start()
    print("READY", flush=True)
    sys.stdin.read()
    controller.stop()


if __name__ == "__main__":
    main()
