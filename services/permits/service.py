"""Permits service entrypoints: parse, call the rules, persist, dispatch events."""
from nameko.rpc import rpc

from services.common.events import Events
from services.common.health import HealthMixin
from services.common.mongo import Mongo
from services.permits import store


def permit_type_document(agency_code, permit_type):
    return dict(permit_type, _id=permit_type["id"], agency=agency_code)


def public_permit_type(doc):
    return {k: doc[k] for k in ("id", "agency", "name", "name_en", "sla_working_days", "fee",
                                "requirements", "form") if k in doc}


class PermitsService(HealthMixin):
    name = "permits"

    db = Mongo("permits", store.ensure_indexes)
    events = Events()

    @rpc
    def load_catalogue(self, data):
        count = 0
        for agency in data.get("agencies", []):
            for permit_type in agency.get("permit_types", []):
                store.upsert_permit_type(self.db, permit_type_document(agency["code"], permit_type))
                count += 1
        return {"permit_types": count}

    @rpc
    def list_permit_types(self, agency=None):
        return [public_permit_type(d) for d in store.list_permit_types(self.db, agency)]
