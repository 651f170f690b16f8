"""``Connector``: the one class an integrator writes."""
from mpp_connector.vocabulary import (DECISION_OUTCOMES, DEFAULT_POLL_SECONDS, check_mapping,
                                      from_canonical, map_status)


class Connector:
    """Subclass, set ``name`` (what permit types name as their ``connector``) and implement
    ``process(application)``.

    ``self.config`` is the service's configuration; the connector's own settings are its
    section ``<NAME>_CONNECTOR`` (e.g. ``PDAM_CONNECTOR: {url: …, status_mapping: {…}}``),
    read with ``setting(key)``. Two settings the kit itself reads:

    - ``status_mapping``: the agency's own words -> canonical statuses (``result`` uses it);
    - ``poll_seconds``: how long a mapped pending status waits before the agency is asked
      again (default 600).
    """

    name = None

    def __init__(self, config):
        self.config = config or {}

    def settings(self):
        return self.config.get("{}_CONNECTOR".format(self.name.upper())) or {}

    def setting(self, key, default=None):
        """``config[<NAME>_CONNECTOR][key]``."""
        return self.settings().get(key, default)

    @property
    def status_mapping(self):
        """The agency's words -> canonical statuses, checked (a bad one is a ``ValueError``)."""
        return check_mapping(self.setting("status_mapping") or {})

    def result(self, agency_status, note=None, reference=None, fields=(), decided_at=None,
               retry_after_seconds=None):
        """What to return for the agency's own word ``agency_status``: a ``Decision``, or a
        ``Pending`` that asks again after ``retry_after_seconds`` (default: the
        ``poll_seconds`` setting). The agency's word travels with it and staff see it.
        An unmapped word raises ``UnknownAgencyStatus`` (retried, then parked with an alert)."""
        status = map_status(self.setting("status_mapping") or {}, agency_status)
        if status in ("rejected", "needs_correction") and not (note or "").strip():
            note = "Status instansi: {} / Agency status: {}".format(agency_status.strip(),
                                                                   agency_status.strip())
        retry = retry_after_seconds or float(self.setting("poll_seconds", DEFAULT_POLL_SECONDS))
        return from_canonical(status, note=note, reference=reference,
                              agency_status=agency_status.strip(), fields=fields,
                              decided_at=decided_at,
                              retry_after_seconds=None if status in DECISION_OUTCOMES else retry)

    def process(self, application):
        """Return ``Decision(...)`` or ``Pending(...)`` (or ``self.result(agency_word)``).
        Raise on a temporary failure (the agency's server is down): the runtime retries."""
        raise NotImplementedError
