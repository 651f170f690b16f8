"""The catalogue as admins and clients see and change it: agencies, services, counters and
the MPP-wide settings (calling rule, near-front position, zone). ``catalogue`` turns the
data into documents; every write clears this process's catalogue cache.

Every function takes ``ctx``: the service worker (``db``, ``cache``).
"""
from services.common import clock as clk
from services.common.errors import Conflict, NotFound, ValidationFailed
from services.contracts import events as ev
from services.contracts import practice as pr
from services.contracts.messages import INVALID_DATA
from services.ticketing import catalogue, catalogue_reads, store
from services.ticketing import schemas as sc

UNKNOWN_AGENCY = "Instansi tidak dikenal / Unknown agency."


def load_catalogue(ctx, data):
    """Create or update agencies, services and counters from catalogue data."""
    counts = {}
    for collection, document in catalogue.documents(data):
        store.upsert_catalogue_item(ctx.db, collection, document)
        counts[collection] = counts.get(collection, 0) + 1
    store.put_settings(ctx.db, {"mpp": data.get("mpp", {}), "defaults": data.get("defaults", {})})
    store.put_rules(ctx.db, sc.load(sc.SettingsSchema, catalogue.rules_document(data)))
    ctx.cache.clear()
    return counts


def list_agencies(ctx):
    services = store.list_services(ctx.db)
    agencies = []
    for agency in store.list_agencies(ctx.db):
        if agency.get("retired_at"):
            continue
        agencies.append({
            "code": agency["_id"],
            "name": agency["name"],
            "name_en": agency["name_en"],
            "kind": agency.get("kind"),
            # the demo catalogue's agencies (and any from before onboarding) are live
            "state": agency.get("state", pr.LIVE),
            "services": [
                {"id": s["_id"], "prefix": s["prefix"], "name": s["name"], "name_en": s["name_en"]}
                for s in services if s["agency"] == agency["_id"]
            ],
        })
    return agencies


def get_service(ctx, service_id):
    data = sc.load(sc.AvailabilityQuerySchema(only=("service_id",)), {"service_id": service_id})
    return catalogue.public_service(catalogue_reads.service(ctx, data["service_id"]))


def list_counters(ctx, agency=None):
    if agency is not None:
        agency = sc.load(sc.DayQuerySchema(only=("agency",)), {"agency": agency})["agency"]
    return [catalogue_reads.public_counter(ctx, c) for c in store.list_counters(ctx.db, agency)]


def get_counter(ctx, counter_id):
    data = sc.load(sc.CounterRefSchema, {"counter_id": counter_id})
    return catalogue_reads.public_counter(ctx, catalogue_reads.counter(ctx, data["counter_id"]))


def reference_agency(ctx, reference):
    """The agency a ticket (by id) or a booking (by code) belongs to, or None when there
    is no such thing: how the gateway keeps staff to their own agency's messages."""
    if not isinstance(reference, str) or not reference or len(reference) > 200:
        return None
    ticket = store.get_ticket(ctx.db, reference)
    if ticket is not None:
        return ticket.get("agency")
    booking = store.get_booking(ctx.db, reference)
    service = store.get_service(ctx.db, booking["service_id"]) if booking else None
    return service["agency"] if service else None


def _active_agency(ctx, code):
    agency = store.get_agency(ctx.db, code)
    return agency is not None and not agency.get("retired_at")


def retire_agency(ctx, code):
    """Retire an agency that no longer serves here (or was made by mistake): it leaves the
    catalogue and nothing new can be made for it. Refused (409, naming them) while services
    or counters are still its own: those are moved or removed first, so no ticket is left
    in a queue nobody calls."""
    if not isinstance(code, str) or not _active_agency(ctx, code):
        raise NotFound("Instansi tidak ditemukan / Agency not found", {"agency": code})
    services = [s["_id"] for s in store.list_services(ctx.db, code)]
    counters = [c["_id"] for c in store.list_counters(ctx.db, code)]
    if services or counters:
        raise Conflict("Instansi masih punya layanan atau loket; pindahkan atau hapus dulu / "
                       "The agency still has services or counters; move or remove them first",
                       {"agency": code, "services": services, "counters": counters})
    at = clk.iso(ctx.clock.now())
    store.retire_agency(ctx.db, code, at)
    ctx.cache.clear()
    return {"code": code, "retired_at": at}


def upsert_agency(ctx, data):
    """Create or rename an agency. A new one is ``onboarding`` (not offered to citizens
    until it goes live, ``set_agency_state``); renaming keeps its state."""
    agency = sc.load(sc.AgencySchema, data)
    store.upsert_catalogue_item(ctx.db, "agencies", catalogue.agency_document(agency),
                                on_insert={"state": pr.ONBOARDING})
    ctx.cache.clear()
    # the catalogue's agencies carry no state: they are live
    _announce_state(ctx, agency["code"],
                    store.get_agency(ctx.db, agency["code"]).get("state", pr.LIVE))
    return {"code": agency["code"]}


def set_agency_state(ctx, code, data):
    """``{"state": "onboarding"|"live"}`` of an existing agency (the gateway decides from
    the go-live checklist whether it may go live)."""
    state = sc.load(pr.AgencyStateSchema, data)["state"]
    if not isinstance(code, str) or store.get_agency(ctx.db, code) is None:
        raise NotFound(UNKNOWN_AGENCY, {"agency": str(code)[:100]})
    store.upsert_catalogue_item(ctx.db, "agencies", {"_id": code, "state": state})
    ctx.cache.clear()
    _announce_state(ctx, code, state)
    return {"code": code, "state": state}


def _announce_state(ctx, code, state):
    """Permits keeps a copy of each agency's state (it refuses filings for one not live):
    its queue is declared first, so a permits deployed later still hears it."""
    for service, method in ev.SUBSCRIBERS[ev.AGENCY_STATE_CHANGED]:
        ctx.subscriber_queues.ensure(ev.AGENCY_STATE_CHANGED, service, method)
    ctx.events(ev.AGENCY_STATE_CHANGED, {"agency": code, "state": state,
                                         "changed_at": clk.iso(ctx.clock.now())})


def upsert_service(ctx, data):
    service = sc.load(sc.ServiceSchema, data)
    if not _active_agency(ctx, service["agency"]):
        raise ValidationFailed(INVALID_DATA, {"fields": {"agency": [UNKNOWN_AGENCY]}})
    stranded = catalogue.stranded_counters(service["id"], service["agency"],
                                           store.list_counters(ctx.db))
    if stranded:
        # the counters go first: each is saved without the service (or moved with it)
        raise Conflict("Layanan masih dilayani loket instansi lain; lepaskan dulu layanan ini "
                       "dari loket tersebut / Counters of another agency still serve this "
                       "service; remove it from them first",
                       {"service_id": service["id"], "counters": stranded})
    try:
        store.upsert_service(ctx.db, catalogue.service_document(service["agency"], service, {}))
    except store.PrefixTaken:
        raise Conflict("Prefiks sudah dipakai / The ticket prefix is taken",
                       {"prefix": service["prefix"]}) from None
    ctx.cache.clear()
    return catalogue.public_service(store.get_service(ctx.db, service["id"]))


def upsert_counter(ctx, data):
    counter = sc.load(sc.CounterSchema, data)
    services = {s: store.get_service(ctx.db, s) for s in counter["services"]}
    fields = catalogue.counter_service_problems(counter["agency"], counter["services"], services)
    if not fields and not _active_agency(ctx, counter["agency"]):
        fields = {"agency": [UNKNOWN_AGENCY]}
    if fields:
        raise ValidationFailed(INVALID_DATA, {"fields": fields})
    store.upsert_catalogue_item(ctx.db, "counters",
                                catalogue.counter_document(counter["agency"], counter))
    ctx.cache.clear()
    return catalogue_reads.public_counter(ctx, store.get_counter(ctx.db, counter["id"]))


def update_settings(ctx, data):
    rules = sc.load(sc.SettingsSchema, data)
    store.put_rules(ctx.db, rules)
    ctx.cache.clear()
    return rules

