"""FerretDB's unique-index refusal of an update is a DuplicateKeyError like MongoDB's."""
import pytest
from pymongo.errors import DuplicateKeyError, OperationFailure

from services.common.mongo import duplicate_keys_as_such

FERRETDB = ("[msg_update.go:133 handler.(*Handler).updateDocument] constraint failed: UNIQUE "
            "constraint failed: index 'services_prefix_1' (2067)")


def test_ferretdb_unique_refusal_becomes_duplicate_key_error():
    with pytest.raises(DuplicateKeyError):
        with duplicate_keys_as_such():
            raise OperationFailure(FERRETDB, 1, {"ok": 0.0, "errmsg": FERRETDB, "code": 1})


def test_other_failures_pass_through_unchanged():
    with pytest.raises(OperationFailure) as caught:
        with duplicate_keys_as_such():
            raise OperationFailure("not authorized", 13)
    assert not isinstance(caught.value, DuplicateKeyError)
    with pytest.raises(DuplicateKeyError):
        with duplicate_keys_as_such():
            raise DuplicateKeyError("E11000", 11000)
