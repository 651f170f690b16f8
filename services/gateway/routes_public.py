"""Public routes: the catalogue, tickets, queues, the board and bookings. Rate-limited per
client address; nothing personal is ever returned (a ticket is its number and position)."""
import segno
from werkzeug.wrappers import Response

from services.common import settings
from services.common.config import timezone_name
from services.common.errors import DomainError
from services.contracts import practice as pr
from services.contracts import roles
from services.contracts import ticketing as tc
from services.gateway import requests as req
from services.gateway import schemas as gs
from services.contracts import api as rs
from services.gateway.http import route
from services.gateway.openapi import KEY_PATTERN

TAG_CAT, TAG_TICKETS, TAG_BOOKINGS = "catalogue", "tickets", "bookings"


TOKEN_HEADER = "X-Ticket-Token"
TOKEN_DOC = {TOKEN_HEADER: {"description": "the ticket's access token", "required": True}}


def _ticket_token(request):
    """The ticket's access token from ``X-Ticket-Token`` (``?token=`` refused). The QR's link
    carries it after ``#`` (never sent to a server); the portal moves it into the header."""
    return req.header_secret(request, "token", TOKEN_HEADER, "token tiket", "ticket token")


def _issue_options(request, body):
    """What a kiosk or portal may add to a ticket or a visit, and the request's idempotency."""
    return {"priority_group": body.get("priority_group"), "contact": body.get("contact"),
            "language": body.get("language", "id"),
            "idempotency_key": req.idempotency_key(request)}


def _ticket_created(ticket):
    return req.json_response(ticket, status=201,
                             headers={"Location": "/api/v1/tickets/{}".format(ticket["id"])})


class PublicRoutes:

    def _offered_agencies(self, request):
        """The agencies offered to whoever asks: an agency being onboarded is not offered to
        citizens until it goes live (``routes_practice``), but its own staff (and the MPP
        admin) see it, to prepare it (its standards, its counters)."""
        try:
            viewer = self._principal(request)
        except DomainError:  # an expired session on a public page: a citizen's view
            viewer = None
        return [a for a in self._call(self.ticketing.list_agencies)
                if a.get("state", pr.LIVE) == pr.LIVE or (viewer is not None and (
                    viewer.role == roles.ADMIN or viewer.agency == a["code"]))]

    @route("GET", "/api/v1/agencies", operation_id="listAgencies", response=rs.AgencyList,
           public=True, tags=[TAG_CAT],
           summary="Agencies with their queue services and permit types")
    def agencies(self, request):
        agencies = self._offered_agencies(request)
        permit_types = self._call(self.permits.list_permit_types)
        for agency in agencies:
            agency["permit_types"] = [p for p in permit_types if p["agency"] == agency["code"]]
        # the MPP's name and zone: pages name the mall from here (never hard-coded) and show
        # every time as the citizen's wall clock reads it
        zone = timezone_name(self.config)
        mpp = {"name": settings.get(self.config, "MPP_NAME"), "timezone": zone}
        return req.json_response({"agencies": agencies, "timezone": zone, "mpp": mpp})

    @route("GET", "/api/v1/services/<string:service_id>",
           operation_id="getService", response=rs.ServiceView,
           public=True, tags=[TAG_CAT],
           summary="One queue service (hours, quota, booking settings)")
    def service(self, request, service_id):
        return req.json_response(self._call(self.ticketing.get_service, service_id))

    @route("GET", "/api/v1/permit-types",
           operation_id="listPermitTypes", response=rs.PermitTypeList,
           public=True, tags=[TAG_CAT],
           query={"agency": "agency code"}, summary="Permit types in force")
    def permit_types(self, request):
        agency = request.args.get("agency") or None
        offered = {a["code"] for a in self._offered_agencies(request)}
        return req.json_response({"permit_types": [
            p for p in self._call(self.permits.list_permit_types, agency)
            if p["agency"] in offered]})

    # -- tickets ----------------------------------------------------------------------------

    @route("POST", "/api/v1/tickets", operation_id="issueTicket", response=rs.Ticket,
           public=True, tags=[TAG_TICKETS], body=gs.IssueTicketRequest,
           idempotent=True, problems=(404,), status=201, summary="Take a ticket (kiosk)")
    def issue_ticket(self, request):
        body = self._body(request, gs.IssueTicketRequest)
        return _ticket_created(self._call(self.ticketing.issue_ticket, body["service_id"],
                                          **_issue_options(request, body)))

    @route("POST", "/api/v1/visits", operation_id="issueVisit", response=rs.Ticket,
           public=True, tags=[TAG_TICKETS], body=gs.IssueVisitRequest,
           idempotent=True, problems=(404,), status=201,
           summary="A visit of several services in order: the ticket of its first step")
    def issue_visit(self, request):
        body = self._body(request, gs.IssueVisitRequest)
        return _ticket_created(self._call(self.ticketing.issue_visit, body["steps"],
                                          **_issue_options(request, body)))

    @route("GET", "/api/v1/tickets/<string:ticket_id>",
           operation_id="getTicket", response=rs.Ticket,
           public=True, tags=[TAG_TICKETS],
           headers=TOKEN_DOC,
           summary="A ticket's status and position (needs its token)")
    def get_ticket(self, request, ticket_id):
        return req.json_response(self._call(self.ticketing.get_ticket, ticket_id,
                                            _ticket_token(request)))

    @route("GET", "/api/v1/tickets/by-number/<string:number>",
           operation_id="getTicketByNumber", response=rs.BoardTicket,
           public=True, tags=[TAG_TICKETS],
           problems=(404,), summary="Today's ticket with this number, as the board shows it "
                                    "(status, people ahead, ETA; no id or token)")
    def ticket_by_number(self, request, number):
        return req.json_response(self._call(self.ticketing.ticket_by_number, number))

    @route("DELETE", "/api/v1/tickets/<string:ticket_id>",
           operation_id="cancelTicket", response=rs.Ticket,
           public=True, tags=[TAG_TICKETS],
           headers=TOKEN_DOC, summary="Give up a ticket")
    def cancel_ticket(self, request, ticket_id):
        return req.json_response(self._call(self.ticketing.cancel_ticket, ticket_id,
                                            _ticket_token(request)))

    @route("GET", "/api/v1/tickets/<string:ticket_id>/qr.svg", operation_id="getTicketQr",
           public=True, tags=[TAG_TICKETS],
           headers=TOKEN_DOC, produces="image/svg+xml",
           summary="QR code (SVG) that opens the ticket's tracking page on a phone")
    def ticket_qr(self, request, ticket_id):
        token = _ticket_token(request)
        ticket = self._call(self.ticketing.get_ticket, ticket_id, token)
        url = "{}portal#track={}&token={}".format(request.host_url, ticket["id"], token)
        svg = segno.make(url, error="m").svg_inline(scale=4, border=2, dark="#000", light="#fff",
                                                    omitsize=True)
        response = Response(svg, mimetype="image/svg+xml")
        response.headers["Cache-Control"] = "private, max-age=3600"
        return response

    @route("GET", "/api/v1/queues/<string:service_id>",
           operation_id="getQueue", response=rs.QueueStatus,
           public=True, tags=[TAG_TICKETS],
           summary="A service's queue: waiting, now serving, last called, ETA")
    def queue(self, request, service_id):
        return req.json_response(self._call(self.ticketing.queue_status, service_id))

    @route("GET", "/api/v1/board", operation_id="getBoard", response=rs.Board,
           public=True, tags=[TAG_TICKETS], query={"agency": "agency code"},
           summary="Display board snapshot (live updates: /api/v1/stream/board)")
    def board(self, request):
        return req.json_response(self._call(self.ticketing.board, request.args.get("agency") or None))

    # -- a citizen's phone number ------------------------------------------------------------

    @route("POST", "/api/v1/phone-confirmations", operation_id="confirmPhone",
           response=rs.PhoneConfirmed, public=True, tags=[TAG_BOOKINGS],
           body=gs.PhoneConfirmationRequest, problems=(429,),
           summary="Confirm a phone number given on the portal with the code its first "
                   "message carried (until then it gets no further message)")
    def confirm_phone(self, request):
        body = self._body(request, gs.PhoneConfirmationRequest)
        return req.json_response(self._call(self.notifications.confirm_phone, body["phone"],
                                            body["code"]))

    # -- bookings ---------------------------------------------------------------------------

    @route("GET", "/api/v1/bookings/availability",
           operation_id="getAvailability", response=rs.Availability,
           public=True, tags=[TAG_BOOKINGS],
           query={"service_id": {"description": "service id", "required": True, "schema": {
               "type": "string", "pattern": KEY_PATTERN}},
               "date": {"description": "YYYY-MM-DD", "required": True,
                        "schema": {"type": "string", "format": "date"}}}, problems=(404,),
           summary="Free appointment slots of a service on a day")
    def availability(self, request):
        query = {"service_id": request.args.get("service_id"), "date": request.args.get("date")}
        query = {k: v for k, v in query.items() if v is not None}
        req.load(tc.AvailabilityQuerySchema, query)
        return req.json_response(self._call(self.ticketing.availability, query["service_id"],
                                            query["date"]))

    @route("POST", "/api/v1/bookings", operation_id="bookSlot", response=rs.Booking,
           responses={"200": {"description": "Already booked with this Idempotency-Key",
                              "content": {"application/json": {"schema": rs.Booking}}}},
           public=True, tags=[TAG_BOOKINGS], body=gs.BookingRequest,
           idempotent=True, problems=(404,), status=201,
           summary="Book a slot (the answer has no personal data)")
    def book(self, request):
        body = self._body(request, gs.BookingRequest)
        booking = self._call(self.ticketing.book, body["service_id"], body["date"],
                             body["slot_start"], body["name"], body["phone"],
                             nik=body.get("nik"), language=body.get("language", "id"),
                             idempotency_key=req.idempotency_key(request))
        return req.json_response(booking, status=201 if booking.get("created", True) else 200)

    @route("POST", "/api/v1/bookings/<string:code>/check-in",
           operation_id="checkIn", response=rs.Ticket,
           public=True, tags=[TAG_BOOKINGS],
           summary="Check in at the kiosk: the booking becomes a ticket")
    def check_in(self, request, code):
        return req.json_response(self._call(self.ticketing.check_in, code), status=201)

    @route("POST", "/api/v1/bookings/<string:code>/cancel",
           operation_id="cancelBooking", response=rs.Booking,
           public=True, tags=[TAG_BOOKINGS],
           body=gs.PhoneRequest, summary="Cancel a booking (code + the phone it was made with)")
    def cancel_booking(self, request, code):
        body = self._body(request, gs.PhoneRequest)
        return req.json_response(self._call(self.ticketing.cancel_booking, code, body["phone"]))


