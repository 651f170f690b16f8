"""What a service process installs before its container starts: ``install()``.

Every entrypoint calls it once, right after its imports (``services/<service>/service.py``;
``nameko run services.<service>.service`` imports that module, so the call runs before the
container is built). It is idempotent, so a test process that imports several services, or
calls it again from ``tests/conftest.py``, installs everything once.

It installs:

- ``broker.install()``: a lost broker connection is not fatal to the service (an ack, a requeue
  or an RPC reply that meets a dead socket is logged and left to the broker's redelivery),
  RPC replies skip publisher confirms, producers are looked up without a new ``Connection``
  per message, and AMQP frames are read ahead (``services.common.broker``);
- ``logs.install()``: a worker's refusals (a domain error below 500: 404, 409, 422 ...) are one
  INFO line instead of an ERROR with a traceback (``services.common.logs``).

Importing ``services.common`` (or any module in it) changes nothing in nameko, kombu or amqp.
"""
from services.common import broker, logs


def install():
    """Install the process-wide behaviour above. Idempotent."""
    broker.install()
    logs.install()
