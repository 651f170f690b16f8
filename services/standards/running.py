"""What the services that run a standard's subject run now: a permit type's requirements, SLA
and fee (permits), a queue service's hours and expected service minutes (ticketing), asked
over RPC (this service never reads their databases)."""
from services.common.errors import NotFound


class Running:
    """``permits`` / ``ticketing``: RPC proxies."""

    def __init__(self, permits, ticketing):
        self.permits, self.ticketing = permits, ticketing
        self._types = {}

    def _permit_types(self, agency):
        if agency not in self._types:
            self._types[agency] = {t["id"]: t for t in self.permits.list_permit_types(agency)}
        return self._types[agency]

    def agency_names(self, agency):
        """``(name, name_en)`` of the agency (its code when ticketing does not know it)."""
        for found in self.ticketing.list_agencies():
            if found["code"] == agency:
                return found["name"], found.get("name_en") or found["name"]
        return agency, agency

    def of(self, agency, subject):
        """The subject's running configuration in the standard's terms, or ``None`` when the
        subject is not (or not this agency's)."""
        if subject["kind"] == "permit_type":
            found = self._permit_types(agency).get(subject["id"])
            if found is None:
                return None
            return {"requirements": found.get("requirements") or [],
                    "sla_working_days": found.get("sla_working_days"), "fee": found.get("fee"),
                    "name": found.get("name"), "name_en": found.get("name_en"),
                    "version": found.get("version")}
        try:
            service = self.ticketing.get_service(subject["id"])
        except NotFound:
            return None
        if service.get("agency") != agency:
            return None
        return {"opening_hours": service.get("opening_hours") or {},
                "default_service_minutes": service.get("default_service_minutes"),
                "name": service.get("name"), "name_en": service.get("name_en")}
