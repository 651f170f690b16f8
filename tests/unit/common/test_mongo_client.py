"""The database client's options."""
import pytest


@pytest.mark.parametrize("uri, retry", [
    ("mongodb://127.0.0.1:1/?retryWrites=false", False),                # FerretDB v1 has none
    ("mongodb://127.0.0.1:1/?replicaSet=rs0&retryWrites=true", True),   # a replica set
    ("mongodb://127.0.0.1:1/?replicaSet=rs0", True),                    # pymongo's default
])
def test_retryable_writes_are_as_the_database_uri_says(uri, retry):
    from services.common.mongo import make_client

    client = make_client(uri, connect=False)
    try:
        assert client.options.retry_writes is retry
    finally:
        client.close()


def test_the_development_uri_says_no_retryable_writes_for_ferretdb(monkeypatch):
    from services.common import config, settings

    monkeypatch.delenv("MONGO_URI", raising=False)
    assert "retryWrites=false" in settings.spec("MONGO_URI").default
    assert config.load()["MONGO_URI"] == settings.spec("MONGO_URI").default
