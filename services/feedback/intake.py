"""What the feedback service learns from other services' events: visits, waits and service
times from ticketing; applications and their decisions from permits; and the survey
invitation a completed visit or an issued permit brings.

Every write is a unique insert keyed by the ticket or application, so a redelivered event
changes nothing (``store``).
"""
from services.common import clock as clk
from services.feedback import store
from services.feedback.periods import occurred, when

#: permits' final states, as a decision records them
DECIDED = {"issued": "issued", "rejected": "rejected", "deemed_approved": "deemed_approved"}


class Intake:
    """``surveys``: a ``surveying.Surveys`` (for the invitation)."""

    def __init__(self, db, tz, surveys):
        self.db, self.tz, self.surveys = db, tz, surveys

    # -- ticketing -------------------------------------------------------------------------

    def ticket_issued(self, event):
        at = occurred(event)
        store.put(self.db, "visits", dict(
            when(at, self.tz), _id=event["ticket_id"], agency=event["agency"],
            service_id=event["service_id"],
            service_name=event.get("service_name") or event["service_id"], issued_at=at))
        self._wait(event["ticket_id"])

    def ticket_called(self, event):
        store.put(self.db, "calls", {"_id": event["ticket_id"], "called_at": occurred(event)})
        self._wait(event["ticket_id"])

    def _wait(self, ticket_id):
        """The wait, once both the issue and the first call are known (their events travel
        on separate queues, so either may come first)."""
        visit = store.get(self.db, "visits", ticket_id)
        call = store.get(self.db, "calls", ticket_id)
        if visit and call:
            seconds = clk.to_utc(call["called_at"]) - clk.to_utc(visit["issued_at"])
            store.put(self.db, "waits", dict(
                _id=ticket_id, agency=visit["agency"], service_id=visit["service_id"],
                day=visit["day"], month=visit["month"],
                seconds=max(0.0, seconds.total_seconds())))

    def ticket_completed(self, event):
        at = occurred(event)
        visit = store.get(self.db, "visits", event["ticket_id"]) or {}
        name = visit.get("service_name") or event["service_id"]
        if event.get("service_seconds") is not None:
            store.put(self.db, "served", dict(
                when(at, self.tz), _id=event["ticket_id"], agency=event["agency"],
                service_id=event["service_id"], seconds=float(event["service_seconds"])))
        self.surveys.invite("ticket", event["ticket_id"], event["agency"], event["service_id"],
                            name, at, event.get("language") or visit.get("language"))

    # -- permits ---------------------------------------------------------------------------

    def application_submitted(self, event):
        store.put(self.db, "applications", {
            "_id": event["application_id"], "agency": event["agency"],
            "service_id": event["permit_type_id"],
            "service_name": event.get("permit_type_name") or event["permit_type_id"],
            "tracking_code": event.get("tracking_code"), "submitted_at": occurred(event)})

    def application_status_changed(self, event):
        if event.get("to") in DECIDED and event.get("to") != "issued":  # issued: permit_issued
            self._decided(event, DECIDED[event["to"]])

    def permit_issued(self, event):
        self._decided(event, "issued")
        app = store.get(self.db, "applications", event["application_id"]) or {}
        self.surveys.invite("application", event["application_id"], event["agency"],
                            event["permit_type_id"],
                            event.get("permit_type_name") or app.get("service_name")
                            or event["permit_type_id"], occurred(event), event.get("language"))

    def _decided(self, event, outcome):
        store.put(self.db, "decisions", dict(
            when(occurred(event), self.tz), _id=event["application_id"],
            agency=event["agency"], service_id=event["permit_type_id"], outcome=outcome,
            within_sla=event.get("within_sla"),
            working_days_used=event.get("sla_working_days_used"),
            sla_working_days=event.get("sla_working_days")))
