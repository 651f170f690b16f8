import hashlib
import hmac
from datetime import datetime, timezone

import pytest

from services.notifications.channels import webhook

SECRET = "s3cret-for-tests"
NOW = 1741050300
GOOD = object()  # stands for the correct signature of (SECRET, NOW, BODY)
BODY = b'{"data":{"tracking_code":"MPP-25-00042"},"event":"application_sla_warning","id":"x"}'


def test_signature_is_hmac_sha256_over_timestamp_dot_body():
    expected = hmac.new(SECRET.encode(), b"1741050300." + BODY, hashlib.sha256).hexdigest()
    assert webhook.sign(SECRET, "1741050300", BODY) == "sha256=" + expected
    headers = webhook.signature_headers(SECRET, BODY, now=NOW)
    assert headers == {"X-MPP-Timestamp": "1741050300", "X-MPP-Signature": "sha256=" + expected}


def test_verify_accepts_a_fresh_correct_signature():
    sig = webhook.sign(SECRET, NOW, BODY)
    assert webhook.verify_signature(SECRET, str(NOW), BODY, sig, NOW + 10)
    assert webhook.verify_signature(SECRET, NOW, BODY.decode(), sig,
                                    datetime.fromtimestamp(NOW, timezone.utc))


@pytest.mark.parametrize("secret,timestamp,body,signature,now", [
    ("other-secret", NOW, BODY, GOOD, NOW),                    # wrong secret
    (SECRET, NOW, BODY + b" ", GOOD, NOW),                     # body changed
    (SECRET, NOW + 1, BODY, GOOD, NOW),                        # timestamp changed
    (SECRET, NOW, BODY, GOOD, NOW + 301),                      # too old: replay refused
    (SECRET, NOW, BODY, GOOD, NOW - 301),                      # from the future
    (SECRET, "not-a-number", BODY, "sha256=00", NOW),
    (SECRET, NOW, BODY, "md5=abc", NOW),
    (SECRET, NOW, BODY, "", NOW),
    (SECRET, NOW, BODY, None, NOW),                            # header missing
    ("", NOW, BODY, "sha256=00", NOW),                         # no secret configured
    (SECRET, NOW, BODY, "sha256=ünïcode", NOW),
])
def test_verify_refuses(secret, timestamp, body, signature, now):
    if signature is GOOD:
        signature = webhook.sign(SECRET, NOW, BODY)
    assert webhook.verify_signature(secret, timestamp, body, signature, now) is False


def test_tolerance_boundary():
    sig = webhook.sign(SECRET, NOW, BODY)
    assert webhook.verify_signature(SECRET, NOW, BODY, sig, NOW + 300)
    assert not webhook.verify_signature(SECRET, NOW, BODY, sig, NOW + 60, tolerance=59)
