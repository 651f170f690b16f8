"""The one HMAC-SHA256 scheme: notifications' agency webhooks, the permits webhook connector
and the gateway's connector callbacks must sign and verify alike."""
from services.common import signing
from services.notifications.channels import webhook as notify_webhook
from services.permits.connectors import webhook as connector_webhook

SECRET = "s3cret-for-tests"
NOW = 1741050300
BODY = '{"a":"é"}'


def test_every_party_uses_the_shared_scheme():
    assert notify_webhook.sign is connector_webhook.sign is signing.sign
    assert notify_webhook.verify_signature is connector_webhook.verify is signing.verify


def test_str_and_bytes_sign_alike():
    assert signing.sign(SECRET, NOW, BODY) == signing.sign(SECRET.encode(), str(NOW),
                                                            BODY.encode("utf-8"))


def test_headers_verify():
    headers = signing.signature_headers(SECRET, BODY, now=NOW)
    assert signing.verify(SECRET, headers[signing.TIMESTAMP_HEADER], BODY,
                          headers[signing.SIGNATURE_HEADER], now=NOW)


def test_malformed_input_is_refused_never_raised():
    assert signing.verify(SECRET, NOW, BODY, "sha256=ünïcode", now=NOW) is False
    assert signing.verify(SECRET, None, BODY, signing.sign(SECRET, NOW, BODY), now=NOW) is False
    assert signing.verify("", NOW, BODY, signing.sign("", NOW, BODY), now=NOW) is False
