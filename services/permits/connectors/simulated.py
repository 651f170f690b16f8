"""``simulated``: a stand-in agency for the demo and the tests, deciding by rules after a delay.

Configuration (``SIMULATED_CONNECTOR`` in the nameko config, all optional)::

    SIMULATED_CONNECTOR:
      delay_seconds: 2          # "the agency thinks" before deciding
      rules:                    # first match wins; no match: approved
        - {field: floors, op: ">", value: 8, outcome: needs_correction,
           note: "Perlu kajian struktur / Structural review needed"}

``field`` is a form field; ``op`` one of ``== != > >= < <=``; ``outcome`` one of
``approved``, ``rejected``, ``needs_correction`` (the last two need a ``note``).

Run: ``nameko run services.permits.connectors.simulated:SimulatedConnector``.
"""
import operator

import eventlet

from services.common import boot
from services.permits.connectors.sdk import Connector, connector_service
from services.permits.connectors.vocabulary import Decision

boot.install()

OPS = {"==": operator.eq, "!=": operator.ne, ">": operator.gt, ">=": operator.ge,
       "<": operator.lt, "<=": operator.le}
DEFAULT_RULES = (
    {"field": "floors", "op": ">", "value": 8, "outcome": "needs_correction",
     "note": "Bangunan lebih dari 8 lantai perlu kajian struktur / Buildings over 8 floors "
             "need a structural review"},
    {"field": "size_m2", "op": ">", "value": 100, "outcome": "rejected",
     "note": "Reklame melebihi 100 m² tidak diizinkan di lokasi ini / Advertisements over "
             "100 m² are not allowed here"},
)


def decide(rules, application):
    """The decision the rules give for ``application`` (pure: unit-testable)."""
    form = application.get("form") or {}
    for rule in rules:
        value = form.get(rule["field"])
        try:
            matched = value is not None and OPS[rule["op"]](value, rule["value"])
        except TypeError:
            matched = False
        if matched:
            return Decision(rule["outcome"], note=rule.get("note"),
                            reference="SIM-" + application["application_id"][-8:])
    return Decision("approved", reference="SIM-" + application["application_id"][-8:])


class Simulated(Connector):
    name = "simulated"

    def process(self, application):
        eventlet.sleep(float(self.setting("delay_seconds", 2)))
        return decide(self.setting("rules", DEFAULT_RULES), application)


SimulatedConnector = connector_service(Simulated)
