"""``manual``: the agency has no back-office system; its officers decide in the MPP console.

The connector only acknowledges the forwarding (``received``, shown to the applicant); the
decision is an officer's ``agency_approve`` / ``agency_return`` / ``agency_reject`` through
``PermitsService.act`` (taken there with the workflow role ``connector``).

Run: ``nameko run services.permits.connectors.manual:ManualConnector``.
"""
from services.common import boot
from services.permits.connectors.sdk import Connector, connector_service
from services.permits.connectors.vocabulary import Pending

boot.install()


class Manual(Connector):
    name = "manual"

    def process(self, application):
        return Pending("received", callback=True,
                       note="Menunggu keputusan petugas / Awaiting the officers' decision")


ManualConnector = connector_service(Manual)
