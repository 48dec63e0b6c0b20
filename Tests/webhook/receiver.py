"""A real HTTP receiver for Daymaker's outgoing webhooks (survey invitations by text message), on 127.0.0.1: it checks
each request's signature with Python's own hmac, answers with the statuses it is told to, in turn, and saves each
request as a JSON file (headers, body, whether the signature was right, the status it answered).

    python3 Tests/webhook/receiver.py --dir DIR --secret SECRET [--answers 503,200]

Prints `PORT <n>` once it listens, and runs until it is killed. The last answer repeats.
"""
import argparse
import hashlib
import hmac
import json
import pathlib
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--dir", required=True)
    parser.add_argument("--secret", required=True)
    parser.add_argument("--answers", default="200")
    args = parser.parse_args()
    directory = pathlib.Path(args.dir)
    answers = [int(status) for status in args.answers.split(",")]
    count = [0]

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            timestamp = self.headers.get("X-Daymaker-Timestamp", "")
            expected = "sha256=" + hmac.new(
                args.secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()
            signed = hmac.compare_digest(expected, self.headers.get("X-Daymaker-Signature", ""))
            status = answers[min(count[0], len(answers) - 1)]
            count[0] += 1
            record = {
                "path": self.path,
                "headers": {name.lower(): value for name, value in self.headers.items()},
                "body": body.decode("utf-8", "replace"),
                "signed": signed,
                "status": status,
            }
            (directory / f"{count[0]:04d}.json").write_text(json.dumps(record))
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(b'{"ok":true}' if status < 300 else b'{"error":"try later"}')

        def log_message(self, *_):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    print(f"PORT {server.server_address[1]}", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
