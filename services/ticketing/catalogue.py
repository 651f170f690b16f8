"""Turn the catalogue data (catalogue/*.yaml, or the admin RPCs' validated input) into
ticketing's documents.

The demo catalogue and the admin RPCs go through the same functions. A counter's *live*
state (open/closed, officer, the ticket it serves) is not catalogue: it lives in
``counter_state`` / ``counter_serving`` (see ``store``), so reloading the catalogue never
touches it and no two kinds of writer rewrite one document on FerretDB.
"""
from services.ticketing.calling import DEFAULT_RULE
from services.contracts.ticketing import WEEKDAYS

DEFAULT_NEAR_FRONT = 3


def service_document(agency_code, service, defaults):
    document = {
        "_id": service["id"],
        "agency": agency_code,
        "prefix": service["prefix"],
        "name": service["name"],
        "name_en": service.get("name_en") or service["name"],
        "opening_hours": service.get("opening_hours") or defaults.get("opening_hours", {}),
        "daily_quota": service.get("daily_quota", defaults.get("daily_quota")),
        "booking": dict(defaults.get("booking", {}), **(service.get("booking") or {})),
        "default_service_minutes": service.get(
            "default_service_minutes", defaults.get("default_service_minutes", 10)),
    }
    if "max_priority_in_row" in service:
        document["max_priority_in_row"] = service["max_priority_in_row"]
    return document


def agency_document(agency):
    document = {
        "_id": agency["code"],
        "name": agency["name"],
        "name_en": agency.get("name_en") or agency["name"],
    }
    if agency.get("kind"):
        document["kind"] = agency["kind"]
    return document


def counter_document(agency_code, counter):
    return {
        "_id": counter["id"],
        "agency": agency_code,
        "name": counter["name"],
        "services": list(counter["services"]),
    }


def stranded_counters(service_id, new_agency, counters):
    """The counters that serve ``service_id`` but are not ``new_agency``'s: moving the service
    to ``new_agency`` would leave them calling another agency's queue."""
    return sorted(c["_id"] for c in counters
                  if service_id in c.get("services", []) and c["agency"] != new_agency)


def counter_service_problems(agency_code, service_ids, services):
    """Field messages when a counter of ``agency_code`` would serve what it may not: a service
    that does not exist, or another agency's (a counter is one agency's desk; a citizen goes
    to another agency's counter by a transfer). ``services`` maps id -> document or None."""
    unknown = [s for s in service_ids if services.get(s) is None]
    foreign = [s for s in service_ids
               if services.get(s) is not None and services[s]["agency"] != agency_code]
    messages = []
    if unknown:
        messages.append("Layanan tidak dikenal / Unknown service: {}.".format(", ".join(unknown)))
    if foreign:
        messages.append("Layanan instansi lain / Another agency's service: {}.".format(
            ", ".join(foreign)))
    return {"services": messages} if messages else {}


def rules_document(catalogue):
    """The MPP-wide settings (calling rule, near-front position, zone) from catalogue data."""
    defaults = catalogue.get("defaults", {})
    rules = {
        "calling_rule": defaults.get("calling_rule") or dict(DEFAULT_RULE),
        "near_front_position": defaults.get("near_front_position", DEFAULT_NEAR_FRONT),
    }
    zone = (catalogue.get("mpp") or {}).get("timezone")
    if zone:
        rules["timezone"] = zone
    return rules


def documents(catalogue):
    """Yield ``(collection, document)`` pairs for everything ticketing owns."""
    defaults = catalogue.get("defaults", {})
    for agency in catalogue.get("agencies", []):
        yield "agencies", agency_document(agency)
        for service in agency.get("services", []):
            yield "services", service_document(agency["code"], service, defaults)
        for counter in agency.get("counters", []):
            yield "counters", counter_document(agency["code"], counter)


def public_service(doc):
    return {key if key != "_id" else "id": value for key, value in doc.items()}
