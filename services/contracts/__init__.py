"""What services share: event names and payloads, roles, shared field types, the messages
people read. Every service and the gateway import this package, never each other's internals."""
