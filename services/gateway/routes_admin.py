"""Back office: catalogue administration, statistics, notification status."""
from services.common.errors import Conflict, NotFound, ValidationFailed
from services.contracts import permits as pc
from services.contracts import roles
from services.contracts import ticketing as tc
from services.contracts.messages import INVALID_DATA
from services.gateway import auth
from services.gateway import requests as req
from services.contracts import api as rs
from services.gateway.http import route

TAG = "admin"


def _agency_of(data):
    agency = data.get("agency") if isinstance(data, dict) else None
    if not isinstance(agency, str) or not agency:
        raise ValidationFailed(INVALID_DATA,
                               {"fields": {"agency": ["Wajib diisi / Required."]}})
    return agency


class AdminRoutes:

    @route("PUT", "/api/v1/admin/agencies", operation_id="saveAgency", response=rs.AgencySaved,
           tags=[TAG], auth="admin", body=tc.AgencySchema,
           summary="Create or update an agency")
    def upsert_agency(self, request):
        self._staff(request, auth.ADMIN)
        body = self._body(request, tc.AgencySchema)
        return req.json_response(self._call(self.ticketing.upsert_agency, body))

    @route("DELETE", "/api/v1/admin/agencies/<string:agency>", operation_id="retireAgency",
           response=rs.RetiredAgency, tags=[TAG], auth="admin",
           summary="Retire an agency: it leaves the catalogue (409 while it still has "
                   "services, counters or permit types in force)")
    def retire_agency(self, request, agency):
        self._staff(request, auth.ADMIN)
        types = [t["id"] for t in self._call(self.permits.list_permit_types, agency)]
        if types:
            raise Conflict("Instansi masih punya jenis izin yang berlaku; pensiunkan dulu / "
                           "The agency still has permit types in force; retire them first",
                           {"agency": agency, "permit_types": types})
        return req.json_response(self._call(self.ticketing.retire_agency, agency))

    @route("PUT", "/api/v1/admin/services", operation_id="saveService", response=rs.ServiceView,
           tags=[TAG], auth="supervisor", body=tc.ServiceSchema,
           summary="Create or update a queue service (a supervisor: their agency's)")
    def upsert_service(self, request):
        principal = self._staff(request, auth.SUPERVISORS)
        body = self._body(request, tc.ServiceSchema)
        self._require_catalogue_owner(principal, _agency_of(body), self.ticketing.get_service,
                                      body["id"])
        return req.json_response(self._call(self.ticketing.upsert_service, body))

    @route("PUT", "/api/v1/admin/counters", operation_id="saveCounter", response=rs.CounterView,
           tags=[TAG], auth="supervisor", body=tc.CounterSchema,
           summary="Create or update a counter (a supervisor: their agency's)")
    def upsert_counter(self, request):
        principal = self._staff(request, auth.SUPERVISORS)
        body = self._body(request, tc.CounterSchema)
        self._require_catalogue_owner(principal, _agency_of(body), self.ticketing.get_counter,
                                      body["id"])
        # serving another agency's service is refused by ticketing (422, field "services")
        return req.json_response(self._call(self.ticketing.upsert_counter, body))

    @route("PUT", "/api/v1/admin/settings", operation_id="saveMppSettings",
           response=tc.SettingsSchema,
           tags=[TAG], auth="admin", body=tc.SettingsSchema,
           summary="MPP-wide queue settings (zone, calling rule)")
    def update_settings(self, request):
        self._staff(request, auth.ADMIN)
        body = self._body(request, tc.SettingsSchema)
        return req.json_response(self._call(self.ticketing.update_settings, body))

    @route("PUT", "/api/v1/admin/permit-types",
           operation_id="savePermitType", response=rs.PermitType,
           tags=[TAG], auth="admin",
           body=pc.PermitTypeVersionSchema, summary="Create a new version of a permit type")
    def upsert_permit_type(self, request):
        self._staff(request, auth.ADMIN)
        body = self._body(request)
        if isinstance(body.get("agency"), str):  # permits checks the rest (and its presence)
            self._known_agency(body["agency"])
        return req.json_response(self._call(self.permits.upsert_permit_type, body))

    @route("POST", "/api/v1/admin/permit-types/<string:permit_type_id>/retire",
           operation_id="retirePermitType", response=rs.PermitType, tags=[TAG], auth="admin",
           body=pc.RetirePermitTypeSchema,
           summary="Retire a permit type from a date: from that day it is not in force and "
                   "cannot be filed (applications filed before keep their terms)")
    def retire_permit_type(self, request, permit_type_id):
        self._staff(request, auth.ADMIN)
        body = self._body(request, pc.RetirePermitTypeSchema)
        return req.json_response(self._call(self.permits.retire_permit_type, permit_type_id,
                                            body))

    @route("GET", "/api/v1/admin/calendar",
           operation_id="getCalendar", response=rs.CalendarView, tags=[TAG], auth="admin",
           summary="The MPP's working-day calendar: cuti bersama and other days off by decree, "
                   "extra working days, and this year's suggested cuti bersama")
    def get_calendar(self, request):
        self._staff(request, auth.ADMIN)
        return req.json_response(self._call(self.permits.get_calendar))

    @route("PUT", "/api/v1/admin/calendar", operation_id="saveCalendar", response=rs.CalendarView,
           tags=[TAG], auth="admin", body=pc.CalendarSchema,
           summary="Replace the MPP's calendar (every SLA deadline and booking day follows it)")
    def set_calendar(self, request):
        self._staff(request, auth.ADMIN)
        body = self._body(request, pc.CalendarSchema)
        self._call(self.permits.set_calendar, body)
        return req.json_response(self._call(self.permits.get_calendar))

    @route("GET", "/api/v1/statistics/day",
           operation_id="getDayStatistics", response=rs.DayStatistics,
           tags=[TAG], auth="supervisor",
           query={"day": "YYYY-MM-DD (default today)", "agency": "agency (admin only)"},
           summary="A day's queue statistics")
    def statistics(self, request):
        principal = self._staff(request, auth.SUPERVISORS)
        agency = auth.scope_agency(principal, request.args.get("agency"))
        return req.json_response(self._call(self.ticketing.day_statistics,
                                            request.args.get("day") or None, agency))

    @route("GET", "/api/v1/notifications",
           operation_id="listNotifications", response=rs.NotificationList,
           tags=[TAG], auth="staff", problems=(404,),
           query={"reference": {"description": "ticket id, booking code, application id or tracking code "
                                               "(staff: of their agency)", "required": True}},
           summary="Delivery status of the messages about a ticket or application")
    def notification_status(self, request):
        principal = self._staff(request)
        reference = request.args.get("reference", "")
        if not reference or len(reference) > 100:
            raise ValidationFailed(INVALID_DATA,
                                   {"fields": {"reference": ["Wajib diisi / Required."]}})
        # an application's messages are filed by its id; staff know it by its tracking code
        reference = self._call(self.permits.application_id_of, reference) or reference
        if principal.role != roles.ADMIN:  # staff see their own agency's messages only
            owner = self._reference_agency(reference)
            if owner is None:
                raise NotFound("Tidak ditemukan / Not found", {"reference": reference})
            auth.require(principal, auth.STAFF, owner)
        return req.json_response({"reference": reference, "messages": self._call(
            self.notifications.messages_for, reference)})

    @route("GET", "/api/v1/notifications/counts",
           operation_id="countNotifications", response=rs.NotificationCounts,
           tags=[TAG], auth="admin",
           summary="Messages by channel and status")
    def notification_counts(self, request):
        self._staff(request, auth.ADMIN)
        return req.json_response(self._call(self.notifications.counts))
