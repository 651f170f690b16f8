"""Survey invitations and answers: invite a citizen once per ticket or application, show the
form, take one answer per token, list the free text, configure the IKM elements.

The token rules are in ``surveys`` and the IKM arithmetic in ``ikm``; this module does the
reads, writes and the ``survey_invited`` event.
"""
from services.common import clock as clk
from services.common.errors import Conflict, NotFound, ValidationFailed
from services.contracts import events, messages
from services.feedback import ikm, store, surveys
from services.feedback import schemas as sc
from services.feedback import settings
from services.feedback.periods import when

ELEMENT_FIELDS = ("code", "name", "name_en")
SCALE = [{"value": 1, "label": "Tidak baik", "label_en": "Poor"},
         {"value": 2, "label": "Kurang baik", "label_en": "Fair"},
         {"value": 3, "label": "Baik", "label_en": "Good"},
         {"value": 4, "label": "Sangat baik", "label_en": "Very good"}]


class Surveys:
    """``emit(event_type, payload)``: the service's event dispatcher."""

    def __init__(self, db, config, clock, emit=None):
        self.db, self.config, self.clock, self.emit = db, config, clock, emit
        self.tz = settings.tz(config)

    def _token(self, reference):
        return surveys.token_for(settings.secret(self.db, self.config), reference)

    def invite(self, kind, reference, agency, service_id, service_name, at, language=None):
        token = self._token(reference)
        store.put(self.db, "invitations", dict(
            when(at, self.tz), _id=surveys.token_hash(token), reference=reference, kind=kind,
            agency=agency, service_id=service_id, service_name=service_name, invited_at=at))
        # announced every time (a crash between the insert and here must not lose it): the
        # notification's dedup key is the reference, so the citizen hears of it once
        self.emit(events.SURVEY_INVITED, {
            "event_id": "survey_invited:{}".format(reference), "reference": reference,
            "reference_kind": kind, "agency": agency, "service_id": service_id,
            "service_name": service_name, "survey_url": surveys.survey_url(
                settings.survey_base(self.config), token), "language": language})

    def link(self, reference):
        sc.load(sc.ReferenceSchema, {"reference": reference})
        token = self._token(reference)
        invitation = store.get(self.db, "invitations", surveys.token_hash(token))
        if invitation is None:
            raise NotFound("Belum ada survei untuk ini / No survey for this yet")
        return {"reference": reference, "agency": invitation["agency"],
                "survey_url": surveys.survey_url(settings.survey_base(self.config), token)}

    def _invitation(self, token):
        invitation = store.get(self.db, "invitations", surveys.check_token(token))
        if invitation is None:
            raise NotFound(surveys.UNKNOWN)
        return invitation

    def form(self, token):
        invitation = self._invitation(token)
        answered = store.get(self.db, "responses", invitation["_id"]) is not None
        return {"kind": invitation["kind"], "agency": invitation["agency"],
                "service_id": invitation["service_id"],
                "service_name": invitation["service_name"], "answered": answered,
                "scale": [dict(s) for s in SCALE],
                "elements": [{f: getattr(e, f) for f in ELEMENT_FIELDS}
                             for e in settings.elements(self.db)]}

    def answer(self, token, data):
        invitation = self._invitation(token)
        body = sc.load(sc.SurveyAnswerSchema, data or {})
        codes = {e.code for e in settings.elements(self.db)}
        unknown = sorted(set(body["answers"]) - codes)
        if unknown:
            raise ValidationFailed(messages.INVALID_DATA, {"fields": {"answers": [
                "Unsur tidak dikenal / Unknown element: {}".format(", ".join(unknown))]}})
        if not body["answers"]:
            raise ValidationFailed(messages.INVALID_DATA, {"fields": {"answers": [
                "Nilai minimal satu unsur / Rate at least one element."]}})
        now = self.clock.now()
        text = (body.get("text") or "").strip() or None
        doc = dict(when(now, self.tz), _id=invitation["_id"], reference=invitation["reference"],
                   kind=invitation["kind"], agency=invitation["agency"],
                   service_id=invitation["service_id"],
                   service_name=invitation["service_name"], answers=body["answers"],
                   text=text, language=body["language"], submitted_at=now)
        if not store.put(self.db, "responses", doc):
            raise Conflict(surveys.ANSWERED)
        return {"accepted": True, "submitted_at": clk.iso(now)}

    def comments(self, agency=None, month=None):
        query = sc.load(sc.PeriodQuerySchema, {"agency": agency, "month": month})
        month = query["month"] or when(self.clock.now(), self.tz)["month"]
        docs = [d for d in store.month_docs(self.db, "responses", month, query["agency"])
                if d.get("text")]
        docs.sort(key=lambda d: d["submitted_at"], reverse=True)
        return {"month": month, "items": [
            {"agency": d["agency"], "service_id": d["service_id"],
             "service_name": d["service_name"], "text": d["text"],
             "submitted_at": clk.iso(d["submitted_at"])} for d in docs]}

    def elements(self):
        return {"elements": ikm.elements_to_config(settings.elements(self.db))}

    def set_elements(self, data):
        body = sc.load(sc.ElementsSchema, data or {})
        elements = ikm.elements_from(body["elements"])
        store.put_setting(self.db, "elements", ikm.elements_to_config(elements),
                          self.clock.now())
        return {"elements": ikm.elements_to_config(elements)}
