"""permits service.

Pure domain (no nameko, no Mongo, no clock of its own): ``workflow`` (state machine),
``sla`` (working days, SLA clock), ``history`` (hash-chained entries), ``tracking`` (codes and
PINs), ``documents`` (upload checks, reuse keys), ``permit_types`` (effective-dated versions,
form validation), ``issuance`` (numbers, validity, Ed25519-signed records, PDF with QR),
``connectors.vocabulary`` (canonical agency statuses). Contract: ``schemas``.

Features (orchestration, called by ``service``'s entrypoints with a ``context.Context``):
``catalogue``, ``filing``, ``acting``, ``applications``, ``views``, ``connector_desk``,
``issuing``, ``sla_schedule``, ``sla_sweep``, ``outbox``; ``keys`` (the service's secrets).
Storage: ``store`` (the service's one door), ``mpp_connector.jobs`` (a connector's, in the kit).
"""
