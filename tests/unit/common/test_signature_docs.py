"""The signature scheme as documented (docs/signatures.md): every test vector holds for the
suite's implementation and for the reference receiver, the doc's table shows the same
vectors, and the reference receiver refuses with the suite's reasons over real HTTP."""
import importlib.util
import json
import threading
import time
from http.server import HTTPServer
from pathlib import Path

import pytest
import requests

from mpp_connector import signing

DOCS = Path(__file__).resolve().parents[3] / "docs"
VECTORS = json.loads((DOCS / "signature-vectors.json").read_text())["vectors"]


def _receiver_module():
    spec = importlib.util.spec_from_file_location("reference_receiver",
                                                  DOCS / "reference_receiver.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


receiver = _receiver_module()


@pytest.mark.parametrize("vector", VECTORS, ids=lambda v: v["secret"])
def test_vectors_hold_for_the_suite_and_the_reference_receiver(vector):
    body = vector["body"].encode("utf-8")
    assert signing.sign(vector["secret"], vector["timestamp"], body) == vector["signature"]
    now = int(vector["timestamp"]) + 299
    assert signing.check(vector["secret"], vector["timestamp"], body, vector["signature"],
                         now=now) is None
    assert receiver.refusal(vector["secret"], vector["timestamp"], body, vector["signature"],
                            now=now) is None


def test_the_document_shows_the_same_vectors():
    text = (DOCS / "signatures.md").read_text()
    for vector in VECTORS:
        assert vector["signature"] in text and vector["timestamp"] in text


@pytest.mark.parametrize("case,reason", [
    ("stale", "stale_timestamp"), ("future", "stale_timestamp"),
    ("wrong_secret", "bad_signature"), ("body_changed", "bad_signature"),
    ("uppercase_hex", "bad_signature"), ("iso_timestamp", "malformed_timestamp"),
    ("no_signature", "missing_signature")])
def test_each_refusal_has_its_own_reason_in_both_implementations(case, reason):
    secret, body, now = "s3cret", b'{"a":1}', 1764892800
    stamp = str(now)
    signature = signing.sign(secret, stamp, body)
    if case == "stale":
        stamp = str(now - 301)
        signature = signing.sign(secret, stamp, body)
    elif case == "future":
        stamp = str(now + 301)
        signature = signing.sign(secret, stamp, body)
    elif case == "wrong_secret":
        signature = signing.sign("other", stamp, body)
    elif case == "body_changed":
        body = b'{"a": 1}'
    elif case == "uppercase_hex":
        signature = "sha256=" + signature[7:].upper()
    elif case == "iso_timestamp":
        stamp = "2025-12-05T00:00:00Z"
    elif case == "no_signature":
        signature = ""
    assert signing.check(secret, stamp, body, signature, now=now) == reason
    assert receiver.refusal(secret, stamp, body, signature, now=now) == reason
    assert reason in signing.REASONS


def test_the_reference_receiver_over_http():
    server = HTTPServer(("127.0.0.1", 0), type("R", (receiver.Receiver,),
                                               {"secret": "whsec-pdam-2026",
                                                "log_message": lambda *a: None}))
    server.received = []
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.01},
                     daemon=True).start()
    url = "http://127.0.0.1:{}/mpp".format(server.server_port)
    body = json.dumps({"application_id": "app-1", "agency": "pdam"}).encode()
    try:
        signed = requests.post(url, data=body, timeout=5, headers=dict(
            signing.signature_headers("whsec-pdam-2026", body),
            **{"Content-Type": "application/json"}))
        assert signed.status_code == 202 and server.received == [{"application_id": "app-1",
                                                                  "agency": "pdam"}]
        old = signing.signature_headers("whsec-pdam-2026", body, now=time.time() - 3600)
        stale = requests.post(url, data=body, headers=old, timeout=5)
        assert stale.status_code == 401 and stale.json() == {"reason": "stale_timestamp"}
        forged = requests.post(url, data=body, timeout=5, headers=signing.signature_headers(
            "guessed", body))
        assert forged.status_code == 401 and forged.json() == {"reason": "bad_signature"}
        assert len(server.received) == 1
    finally:
        server.shutdown()
        server.server_close()
