"""Counter console routes: who waits, open, close, call next, call a ticket, and the ticket actions.

Every route resolves the counter's agency through ``ticketing.get_counter`` and refuses
(403) a principal of another agency before anything changes; a route naming a ticket also
resolves the *ticket's* agency (``reference_agency``), since ticket ids are predictable. The officer named to ticketing
is the signed-in account (an API key acts as ``apikey:<id>``).
"""
from services.contracts.messages import INVALID_DATA
from services.gateway import auth
from services.gateway import requests as req
from services.gateway import schemas as gs
from services.contracts import api as rs
from services.gateway.http import route

TAG = "counters"
TICKET_ACTIONS = ("recall", "skip", "start", "complete", "transfer")


class CounterRoutes:

    @route("GET", "/api/v1/counters", operation_id="listCounters", response=rs.CounterList,
           tags=[TAG], auth="staff", query={"agency": "agency code"},
           summary="Counters of the caller's agency (admin: any or all)")
    def counters(self, request):
        principal = self._staff(request)
        agency = auth.scope_agency(principal, request.args.get("agency"))
        return req.json_response({"counters": self._call(self.ticketing.list_counters, agency)})

    @route("GET", "/api/v1/counters/<string:counter_id>",
           operation_id="getCounter", response=rs.CounterView,
           tags=[TAG], auth="staff",
           summary="One counter")
    def counter(self, request, counter_id):
        return req.json_response(self._counter_in_scope(self._staff(request), counter_id))

    @route("GET", "/api/v1/counters/<string:counter_id>/waiting",
           operation_id="listWaiting", response=rs.CounterWaiting,
           tags=[TAG], auth="staff",
           summary="Who waits for the counter's services (no personal data) and the ticket "
                   "it calls or serves now")
    def counter_waiting(self, request, counter_id):
        self._counter_in_scope(self._staff(request), counter_id)
        return req.json_response(self._call(self.ticketing.counter_waiting, counter_id))

    @route("POST", "/api/v1/counters/<string:counter_id>/open",
           operation_id="openCounter", response=rs.CounterView,
           tags=[TAG], auth="staff",
           summary="Open the counter (the caller becomes its officer)")
    def open_counter(self, request, counter_id):
        principal = self._staff(request)
        self._counter_in_scope(principal, counter_id)
        return req.json_response(self._call(self.ticketing.open_counter, counter_id,
                                            principal.subject))

    @route("POST", "/api/v1/counters/<string:counter_id>/close",
           operation_id="closeCounter", response=rs.CounterView,
           tags=[TAG], auth="staff",
           summary="Close the counter")
    def close_counter(self, request, counter_id):
        principal = self._staff(request)
        self._counter_in_scope(principal, counter_id)
        return req.json_response(self._call(self.ticketing.close_counter, counter_id,
                                            principal.subject))

    @route("POST", "/api/v1/counters/<string:counter_id>/call-next",
           operation_id="callNext", response=rs.Ticket,
           tags=[TAG], auth="staff",
           summary="Call the next ticket by the calling rule")
    def call_next(self, request, counter_id):
        principal = self._staff(request)
        self._counter_in_scope(principal, counter_id)
        return req.json_response(self._call(self.ticketing.call_next, counter_id,
                                            principal.subject))

    @route("POST", "/api/v1/counters/<string:counter_id>/call",
           operation_id="callTicket", response=rs.Ticket,
           tags=[TAG], auth="staff",
           body=gs.CallTicketRequest, summary="Call a given ticket out of order (with a reason)")
    def call_ticket(self, request, counter_id):
        principal = self._staff(request)
        body = self._body(request, gs.CallTicketRequest)
        self._ticket_in_scope(principal, body["ticket_id"])
        self._counter_in_scope(principal, counter_id)
        return req.json_response(self._call(self.ticketing.call_ticket, counter_id,
                                            body["ticket_id"], principal.subject, body["reason"]))

    @route("POST", "/api/v1/tickets/<string:ticket_id>/<any(recall,skip,start,complete,transfer)"
                   ":action>", operation_id="actOnTicket", response=rs.Ticket,
                   tags=[TAG], auth="staff", body=gs.TicketActionRequest,
           path_enum={"action": TICKET_ACTIONS},
           summary="recall | skip | start | complete | transfer a ticket at a counter")
    def ticket_action(self, request, ticket_id, action):
        principal = self._staff(request)
        body = self._body(request, gs.TicketActionRequest)
        if action == "transfer" and not body.get("target_service_id"):
            from services.common.errors import ValidationFailed

            raise ValidationFailed(INVALID_DATA, {
                "fields": {"target_service_id": ["Wajib diisi / Required."]}})
        counter_id = body["counter_id"]
        self._ticket_in_scope(principal, ticket_id)
        self._counter_in_scope(principal, counter_id)
        method = getattr(self.ticketing, action)
        if action == "skip":
            result = self._call(method, ticket_id, counter_id, principal.subject,
                                return_to_queue=body.get("return_to_queue", False))
        elif action == "transfer":
            result = self._call(method, ticket_id, counter_id, principal.subject,
                                body["target_service_id"], reason=body.get("reason"))
        else:
            result = self._call(method, ticket_id, counter_id, principal.subject)
        return req.json_response(result)
