"""permits service.

Pure domain (no nameko, no Mongo, no clock of its own): ``workflow`` (state machine),
``sla`` (working days, SLA clock), ``history`` (hash-chained entries), ``tracking`` (codes and
PINs), ``documents`` (upload checks, reuse keys), ``permit_types`` (effective-dated versions,
form validation), ``issuance`` (numbers, Ed25519-signed records, PDF with QR),
``connectors.vocabulary`` (canonical agency statuses). Contract: ``schemas``.
"""
