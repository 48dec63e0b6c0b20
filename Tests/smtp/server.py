"""A real SMTP server for Daymaker's mail tests: aiosmtpd on 127.0.0.1, with STARTTLS and AUTH when asked, each
message it accepts saved as a JSON file (envelope, whether it came over TLS and signed in, the message itself).

    python3 Tests/smtp/server.py --dir DIR [--port N] [--cert cert.pem --key key.pem] [--user U --password P]

Prints `PORT <n>` once it listens, and runs until it is killed.
"""
import argparse
import json
import pathlib
import socket
import ssl
import sys
import time

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword


class Saver:
    def __init__(self, directory: pathlib.Path):
        self.directory = directory
        self.count = 0

    async def handle_DATA(self, server, session, envelope):
        self.count += 1
        record = {
            "from": envelope.mail_from,
            "to": envelope.rcpt_tos,
            "tls": session.ssl is not None,
            "authenticated": bool(session.authenticated),
            "message": envelope.content.decode("utf-8", "replace"),
        }
        (self.directory / f"{self.count:04d}.json").write_text(json.dumps(record))
        return "250 Message accepted"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--dir", required=True)
    parser.add_argument("--cert")
    parser.add_argument("--key")
    parser.add_argument("--user")
    parser.add_argument("--password")
    parser.add_argument("--port", type=int, default=0)
    args = parser.parse_args()

    context = None
    if args.cert:
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(args.cert, args.key)

    def authenticate(server, session, envelope, mechanism, auth_data):
        ok = (
            isinstance(auth_data, LoginPassword)
            and auth_data.login.decode() == args.user
            and auth_data.password.decode() == args.password
        )
        return AuthResult(success=ok, handled=False)

    port = args.port
    if not port:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
    controller = Controller(
        Saver(pathlib.Path(args.dir)),
        hostname="127.0.0.1",
        port=port,
        tls_context=context,
        require_starttls=context is not None,
        authenticator=authenticate if args.user else None,
        auth_required=bool(args.user),
        auth_require_tls=context is not None,
    )
    controller.start()
    print(f"PORT {port}", flush=True)
    try:
        while True:
            time.sleep(3600)
    finally:
        controller.stop()


if __name__ == "__main__":
    sys.exit(main())
