"""Turn the catalogue data (catalogue/*.yaml) into ticketing's documents.

The demo catalogue and the admin RPCs go through the same functions.
"""
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def service_document(agency_code, service, defaults):
    return {
        "_id": service["id"],
        "agency": agency_code,
        "prefix": service["prefix"],
        "name": service["name"],
        "name_en": service.get("name_en", service["name"]),
        "opening_hours": service.get("opening_hours", defaults.get("opening_hours", {})),
        "daily_quota": service.get("daily_quota", defaults.get("daily_quota")),
        "booking": dict(defaults.get("booking", {}), **service.get("booking", {})),
        "default_service_minutes": service.get(
            "default_service_minutes", defaults.get("default_service_minutes", 10)),
    }


def agency_document(agency):
    return {
        "_id": agency["code"],
        "name": agency["name"],
        "name_en": agency.get("name_en", agency["name"]),
    }


def counter_document(agency_code, counter):
    return {
        "_id": counter["id"],
        "agency": agency_code,
        "name": counter["name"],
        "services": list(counter["services"]),
    }


COUNTER_ON_INSERT = {"status": "closed", "officer": None}


def documents(catalogue):
    """Yield ``(collection, document)`` pairs for everything ticketing owns."""
    defaults = catalogue.get("defaults", {})
    for agency in catalogue.get("agencies", []):
        yield "agencies", agency_document(agency)
        for service in agency.get("services", []):
            yield "services", service_document(agency["code"], service, defaults)
        for counter in agency.get("counters", []):
            yield "counters", counter_document(agency["code"], counter)
