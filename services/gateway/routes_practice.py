"""Promise against practice and agency onboarding (issue 23 items 5 and 6).

- ``GET /api/v1/public/standards/practice``: every adopted standard's promise beside what
  the MPP measured in a month (permits, ticketing and feedback each measure their own part),
  aggregates only;
- ``GET /api/v1/standards/broken``: the services that broke their promise in a month and
  why (the slowest steps): a supervisor their agency's, the admin any;
- ``GET /api/v1/admin/agencies``, ``GET .../agencies/<code>/onboarding``,
  ``POST .../agencies/<code>/go-live``: the admin's agencies with their state, the go-live
  checklist (``onboarding.checklist``) and the drift of running configuration from adopted
  standards (standards' ``compliance``), and going live, refused until the list is complete.

The comparisons are ``practice`` (pure), the checklist ``onboarding`` (pure).
"""
from services.common.config import timezone_name
from services.common.errors import Conflict, NotFound
from services.contracts import practice as pr
from services.gateway import auth, onboarding, practice
from services.gateway import requests as req
from services.gateway.http import route
from services.gateway.openapi import AGENCY_CODE_SCHEMA

TAG = "standards"
PERIOD = {"month": "YYYY-MM (MPP-local; default this month)"}


def _listed(answer, key="standards"):
    """A list RPC's items, whether it answers a list or ``{key: [...]}``."""
    return answer.get(key, []) if isinstance(answer, dict) else list(answer or [])


class PracticeRoutes:

    def _practice(self, standards, agency, month):
        permits = self._call(self.permits.practice, agency, month)
        month = permits["month"]
        queues = self._call(self.ticketing.practice, agency, month)
        ikm = self._call(self.feedback.service_ikm, agency, month)
        return month, practice.compare(standards, permits["permit_types"], queues["services"],
                                       ikm["services"])

    @route("GET", "/api/v1/public/standards/practice", public=True, tags=[TAG],
           operation_id="standardsPractice", response=pr.PracticeOut,
           query=dict(PERIOD, agency={"description": "agency code", "schema": AGENCY_CODE_SCHEMA}),
           summary="Each adopted service standard's promise (time, fee) beside the measured "
                   "practice of a month (share decided within the SLA, median and p90; waits "
                   "and service minutes; fees charged; IKM); aggregates only")
    def standards_practice(self, request):
        query = req.load(pr.PracticeQuerySchema, {"agency": request.args.get("agency") or None,
                                                  "month": request.args.get("month") or None})
        standards = _listed(self._call(self.standards.public_standards, query["agency"]))
        month, rows = self._practice(standards, query["agency"], query["month"])
        return req.json_response({"month": month, "agency": query["agency"], "standards": rows})

    @route("GET", "/api/v1/standards/broken", tags=[TAG], auth="supervisor",
           operation_id="brokenPromises", response=pr.BrokenOut,
           query=dict(PERIOD, agency={"description": "agency (admin only; default all)",
                                       "schema": AGENCY_CODE_SCHEMA}),
           summary="Services that broke their standard's promise in a month, and why")
    def broken_promises(self, request):
        principal = self._staff(request, auth.SUPERVISORS)
        agency = auth.scope_agency(principal, request.args.get("agency") or None)
        query = req.load(pr.PracticeQuerySchema, {"agency": agency,
                                                  "month": request.args.get("month") or None})
        standards = _listed(self._call(self.standards.list_standards, query["agency"],
                                       "adopted"))
        month, rows = self._practice(standards, query["agency"], query["month"])
        return req.json_response({"month": month, "agency": query["agency"],
                                  "measured": len([r for r in rows if r["kept"] is not None]),
                                  "broken": practice.broken(rows)})

    # -- onboarding -------------------------------------------------------------------------

    def _catalogue(self):
        agencies = self._call(self.ticketing.list_agencies)
        permit_types = self._call(self.permits.list_permit_types)
        for agency in agencies:
            agency["permit_types"] = [p for p in permit_types if p["agency"] == agency["code"]]
        return agencies

    @route("GET", "/api/v1/admin/agencies", tags=["admin"], auth="admin",
           operation_id="listAgenciesForAdmin", response=pr.AdminAgenciesOut,
           summary="Every agency with its state (onboarding or live), queue services and "
                   "permit types")
    def admin_agencies(self, request):
        self._staff(request, auth.ADMIN)
        return req.json_response({"agencies": self._catalogue(),
                                  "timezone": timezone_name(self.config)})

    def _onboarding(self, code):
        agency = next((a for a in self._catalogue() if a["code"] == code), None)
        if agency is None:
            raise NotFound("Instansi tidak dikenal / Unknown agency", {"agency": code[:100]})
        counters = self._call(self.ticketing.list_counters, code)
        accounts = [auth.public_account(d) for d in self.db.accounts.find({"agency": code})]
        adopted = _listed(self._call(self.standards.list_standards, code, "adopted"))
        connectors = [c["name"] for c in self._call(self.permits.list_connectors)
                      if c.get("last_seen_at")]
        result = onboarding.checklist(
            agency, agency["services"], agency["permit_types"], counters, accounts,
            {(s["subject"]["kind"], s["subject"]["id"]) for s in adopted}, connectors)
        drift = [item for item in _listed(self._call(self.standards.compliance, code), "items")
                 if item.get("differences")]
        return agency, dict(result, agency=code, state=agency["state"], drift=drift)

    @route("GET", "/api/v1/admin/agencies/<string:code>/onboarding", tags=["admin"],
           auth="admin", operation_id="agencyOnboarding", problems=(404,),
           response=pr.OnboardingOut,
           summary="An agency's state, its go-live checklist and where its running services "
                   "differ from their adopted standards")
    def agency_onboarding(self, request, code):
        self._staff(request, auth.ADMIN)
        return req.json_response(self._onboarding(code)[1])

    @route("POST", "/api/v1/admin/agencies/<string:code>/go-live", tags=["admin"],
           auth="admin", operation_id="agencyGoLive", problems=(404, 409),
           response=pr.OnboardingOut,
           summary="Offer an onboarded agency to citizens (refused until its checklist is "
                   "complete)")
    def agency_go_live(self, request, code):
        self._staff(request, auth.ADMIN)
        _, state = self._onboarding(code)
        if not state["complete"]:
            raise Conflict(GO_LIVE_REFUSED, {"missing": [
                item["item"] for item in state["items"] if not item["done"]]})
        self._call(self.ticketing.set_agency_state, code, {"state": pr.LIVE})
        return req.json_response(dict(state, state=pr.LIVE))


GO_LIVE_REFUSED = ("Instansi belum dapat melayani: daftar kesiapan belum lengkap / The agency "
                   "cannot go live: its checklist is not complete")
