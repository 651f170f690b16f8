"""The database client's options."""

def test_retryable_writes_are_as_the_database_uri_says():
    from services.common.mongo import make_client

    silent = make_client("mongodb://127.0.0.1:1/", connect=False)
    replica = make_client("mongodb://127.0.0.1:1/?replicaSet=rs0&retryWrites=true",
                          connect=False)
    try:
        assert silent.options.retry_writes is False  # FerretDB v1 has none
        assert replica.options.retry_writes is True
    finally:
        silent.close()
        replica.close()
