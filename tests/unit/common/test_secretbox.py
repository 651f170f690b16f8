"""Agencies' secrets at rest: sealed under CONNECTOR_SECRETS_KEY, opened only with it."""
import pytest
from cryptography.fernet import Fernet

from services.common import secretbox


def test_a_sealed_secret_opens_only_with_its_key():
    config = {"CONNECTOR_SECRETS_KEY": Fernet.generate_key().decode()}
    secret = secretbox.new_secret()
    sealed = secretbox.seal(config, secret)
    assert secret not in sealed and secretbox.open_(config, sealed) == secret
    other = {"CONNECTOR_SECRETS_KEY": Fernet.generate_key().decode()}
    assert secretbox.open_(other, sealed) is None
    assert secretbox.open_(config, "tampered" + sealed) is None


@pytest.mark.parametrize("key", [None, "", "not-a-fernet-key"])
def test_without_a_usable_key_nothing_is_sealed(key, monkeypatch):
    monkeypatch.delenv("CONNECTOR_SECRETS_KEY", raising=False)
    config = {"CONNECTOR_SECRETS_KEY": key}
    assert not secretbox.configured(config)
    with pytest.raises(secretbox.NoKey):
        secretbox.seal(config, "x")


def test_new_secrets_are_long_and_distinct():
    assert len({secretbox.new_secret() for _ in range(50)}) == 50
    assert len(secretbox.new_secret()) >= 43
