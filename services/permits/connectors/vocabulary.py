"""The status vocabulary of the connector kit (``mpp_connector.vocabulary``), and the one
use permits makes of it itself: an agency's signed callback may give its own word
(``agency_status``), mapped by the agency's ``PERMITS_STATUS_MAPPINGS`` entry; an unmapped
word there is the caller's mistake (422)."""
from mpp_connector.vocabulary import (ACTION_FOR_OUTCOME, CANONICAL_STATUSES,  # noqa: F401
                                      DECISION_OUTCOMES, LABELS, PENDING_STATUSES, Decision,
                                      Pending, UnknownAgencyStatus, check_mapping,
                                      from_canonical, label, result_from_dict)
from mpp_connector.vocabulary import map_status as _map_status

from services.common.errors import ValidationFailed


def map_status(agency_mapping, agency_status):
    """The canonical status for ``agency_status``, or ``ValidationFailed`` if unmapped."""
    try:
        return _map_status(agency_mapping, agency_status)
    except UnknownAgencyStatus:
        raise ValidationFailed(
            "Status instansi tidak dikenal / Unknown agency status",
            {"fields": {"status": ["Status '{}' tidak dikenal / Status '{}' is not "
                                   "mapped.".format(agency_status, agency_status)]}}) from None
