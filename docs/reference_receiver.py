"""Reference receiver of MPP-signed requests (docs/signatures.md): Python standard library
only, to read before writing one in another language. Run:
``MPP_SECRET=... python reference_receiver.py 8080``."""
import hashlib
import hmac
import json
import os
import sys
import time
from http.server import BaseHTTPRequestHandler, HTTPServer

TOLERANCE = 300


def refusal(secret, timestamp, body, signature, now=None):
    """None if genuine and fresh, else the reason (the suite's own names)."""
    if not timestamp or not signature:
        return "missing_signature"
    if not (timestamp.isascii() and timestamp.isdigit()):
        return "malformed_timestamp"
    if abs((time.time() if now is None else now) - int(timestamp)) > TOLERANCE:
        return "stale_timestamp"
    mac = hmac.new(secret.encode("utf-8"), timestamp.encode("ascii") + b"." + body,
                   hashlib.sha256).hexdigest()
    if not hmac.compare_digest("sha256=" + mac, signature):
        return "bad_signature"
    return None


class Receiver(BaseHTTPRequestHandler):
    secret = os.environ.get("MPP_SECRET", "")

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))  # raw bytes
        reason = refusal(self.secret, self.headers.get("X-MPP-Timestamp", "").strip(), body,
                         self.headers.get("X-MPP-Signature", "").strip())
        status, answer = (401, {"reason": reason}) if reason else (202, {"received": True})
        if not reason:
            self.server.received.append(json.loads(body or b"null"))
        data = json.dumps(answer).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


if __name__ == "__main__":
    server = HTTPServer(("127.0.0.1", int(sys.argv[1])), Receiver)
    server.received = []
    server.serve_forever()
