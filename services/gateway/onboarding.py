"""An agency's go-live checklist: the one rule that says whether a new agency may be offered
to citizens (pure: the catalogue, accounts, standards and connectors as plain data in).

The items, in the order an admin works through them:

- ``profile``: the agency's name and what kind of body it is (its English name is optional:
  pages fall back to the Indonesian one);
- ``services``: at least one queue service or permit type;
- ``standards``: every queue service and permit type has an adopted service standard
  (UU 25/2009 art. 21: no service without a published standard);
- ``counters``: every queue service served by a counter (not applicable to an agency with
  permit types only: its citizens file on the portal);
- ``staff``: at least one active staff account of the agency;
- ``connector``: every permit type names who decides it: the agency's officers (``manual``)
  or a connector the MPP knows (not applicable without permit types).

Each item: ``{"item", "done", "missing": [names]}`` (``missing`` names what is left, by name).
"""
ITEMS = ("profile", "services", "standards", "counters", "staff", "connector")
MANUAL = "manual"


def _name(thing):
    return thing.get("name") or thing.get("id") or ""


def checklist(agency, services, permit_types, counters, accounts, adopted, connectors):
    """``{"complete": bool, "items": [...]}`` for ``agency`` (``{code, name, name_en,
    kind}``); ``services`` its queue services and ``permit_types`` its permit types (each
    ``{id, name, connector?}``), ``counters`` its counters (``{name, services}``),
    ``accounts`` its staff accounts (``{username, disabled?, active?}``), ``adopted`` the
    subjects with an adopted standard (``{("queue_service"|"permit_type", id)}``),
    ``connectors`` the names of the connectors the MPP knows."""
    items = []

    def add(item, missing, applicable=True):
        items.append({"item": item, "done": not missing, "missing": list(missing),
                      "applicable": applicable})

    add("profile", [label for label, present in (
        ("name", agency.get("name")), ("kind", agency.get("kind"))) if not present])
    add("services", [] if services or permit_types else ["service"])
    add("standards", [_name(s) for s in services if ("queue_service", s["id"]) not in adopted]
        + [_name(p) for p in permit_types if ("permit_type", p["id"]) not in adopted]
        + ([] if services or permit_types else ["service"]))
    served = {s for c in counters for s in c.get("services", [])}
    add("counters", [_name(s) for s in services if s["id"] not in served],
        applicable=bool(services))
    active = [a for a in accounts if not (a.get("disabled") is True or a.get("active") is False)]
    add("staff", [] if active else ["account"])
    known = set(connectors) | {MANUAL}
    add("connector", [_name(p) for p in permit_types if p.get("connector") not in known],
        applicable=bool(permit_types))
    return {"complete": all(item["done"] for item in items), "items": items}
