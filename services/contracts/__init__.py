"""What services share: event names and payloads, roles, shared field types, the requests the
gateway and a service both validate, the messages people read. Every service and the gateway
import this package, never each other's internals; it imports neither (``.importlinter``).

- ``fields``: ``StrictSchema``, ``key``/``KEY``/``Key``, ``normalise_phone``/``Phone``,
  ``Int``, ``Bool``;
- ``ticketing``, ``permits``, ``feedback``: each service's shared request schemas and the
  vocabulary they validate against (priority groups, weekdays, field types, statuses ...);
- ``events``: event names, the ``Envelope`` and a payload schema per event (``PAYLOADS``);
- ``roles``: the staff role vocabulary;
- ``messages``: the messages shown to people when a request is refused.
"""
