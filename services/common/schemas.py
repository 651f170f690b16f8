"""Loading a contract's schema in a service or the gateway.

- ``load(schema, data)``: marshmallow's field messages become ``ValidationFailed`` (422);
  given a schema class, it loads with the process's one instance of it (``shared``).

The schemas themselves and their field types are the contract: ``services.contracts``.
"""
import functools

from marshmallow import ValidationError

from services.common.errors import ValidationFailed


@functools.lru_cache(maxsize=None)
def shared(schema_class):
    """The process's one instance of ``schema_class``. Building a marshmallow schema
    deep-copies its declared fields (a few percent of a request's CPU); loading with a
    built one keeps no state between calls, so each is built once and reused."""
    return schema_class()


def load(schema, data):
    """``schema.load(data)`` or ``ValidationFailed`` with marshmallow's field messages;
    ``schema`` is an instance, or a class (loaded with its ``shared`` instance)."""
    if isinstance(schema, type):
        schema = shared(schema)
    try:
        return schema.load(data)
    except ValidationError as err:
        raise ValidationFailed.from_marshmallow(err)
