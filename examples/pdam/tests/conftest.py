"""A stand-in for SIPAM, the PDAM's own system: a real HTTP server on a free local port,
whose cases the tests set (``sipam.cases[nomor] = {...}``) and whose requests they read."""
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

STATUS_MAPPING = {"BARU": "received", "SURVEI": "in_review", "MENUNGGU BAYAR": "pending_payment",
                  "LUNAS": "paid", "PERLU PERBAIKAN": "needs_correction",
                  "SELESAI": "approved", "DITOLAK": "rejected"}


class Sipam:
    def __init__(self):
        self.cases, self.filed, self.down, self.tokens = {}, [], False, []


@pytest.fixture
def sipam():
    state = Sipam()

    class Handler(BaseHTTPRequestHandler):
        def _answer(self, status, body):
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_GET(self):
            state.tokens.append(self.headers.get("Authorization"))
            if state.down:
                return self._answer(503, {"error": "maintenance"})
            case = state.cases.get(self.path.rsplit("/", 1)[-1])
            return self._answer(200, case) if case else self._answer(404, {})

        def do_POST(self):
            if state.down:
                return self._answer(503, {"error": "maintenance"})
            body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            state.filed.append(body)
            state.cases[body["nomor_mpp"]] = {"status": "BARU"}
            return self._answer(201, {"id": len(state.filed)})

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.01},
                              daemon=True)
    thread.start()
    state.settings = {"url": "http://127.0.0.1:{}/api".format(server.server_port),
                      "token": "sipam-test-token", "poll_seconds": 900,
                      "status_mapping": dict(STATUS_MAPPING)}
    yield state
    server.shutdown()
    server.server_close()
