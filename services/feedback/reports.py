"""The public statistics and the supervisors' perception view, computed from the figures
the feedback service keeps: visitors, waits, service times, SLA compliance and IKM per
agency and service, for a month and today. Arithmetic is in ``stats`` and ``ikm``."""
from services.common import clock as clk
from services.feedback import schemas as sc
from services.feedback import settings, spreadsheet, stats, store
from services.feedback.periods import when

class Reports:
    def __init__(self, db, config, clock):
        self.db, self.clock = db, clock
        self.tz = settings.tz(config)

    def _period(self, month):
        now = self.clock.now()
        today = when(now, self.tz)
        return now, today["day"], month or today["month"]

    def _figures(self, month, agency=None):
        names = {}
        visits = store.month_docs(self.db, "visits", month, agency)
        for doc in visits + store.month_docs(self.db, "responses", month, agency):
            names[(doc["agency"], doc["service_id"])] = doc.get("service_name")
        for doc in store.application_services(self.db, agency):
            names.setdefault((doc["agency"], doc["service_id"]), doc.get("service_name"))
        return {"names": names, "visits": visits,
                "waits": store.month_docs(self.db, "waits", month, agency),
                "served": store.month_docs(self.db, "served", month, agency),
                "decisions": store.month_docs(self.db, "decisions", month, agency),
                "responses": store.month_docs(self.db, "responses", month, agency)}

    def statistics(self, month=None):
        query = sc.load(sc.PeriodQuerySchema, {"month": month})
        now, today, month = self._period(query["month"])
        figures = self._figures(month)
        elements = settings.elements(self.db)
        agencies = []
        by_agency = stats.split(figures, lambda d: d["agency"])
        by_service = stats.split(figures, lambda d: (d["agency"], d["service_id"]))
        for agency in sorted(by_agency):
            services = []
            for (a, service_id) in sorted(k for k in by_service if k[0] == agency):
                services.append(dict(
                    stats.block(by_service[(a, service_id)], today, elements),
                    service_id=service_id,
                    service_name=figures["names"].get((a, service_id)) or service_id))
            agencies.append(dict(stats.block(by_agency[agency], today, elements),
                                 agency=agency, services=services))
        return {"generated_at": clk.iso(now), "today": today, "month": month,
                "timezone": self.tz,
                "mpp": stats.block(figures, today, elements, with_elements=True),
                "agencies": agencies}

    def statistics_csv(self, month=None):
        data = self.statistics(month)
        rows = [stats.csv_row("mpp", None, None, data["mpp"])]
        for agency in data["agencies"]:
            rows.append(stats.csv_row("agency", agency["agency"], None, agency))
            for service in agency["services"]:
                rows.append(stats.csv_row("service", agency["agency"], service, service))
        return spreadsheet.to_csv(rows, stats.CSV_FIELDS)

    def perception(self, agency=None, month=None):
        query = sc.load(sc.PeriodQuerySchema, {"agency": agency, "month": month})
        now, today, month = self._period(query["month"])
        figures = self._figures(month, query["agency"])
        elements = settings.elements(self.db)
        items = []
        for (a, service_id), part in sorted(stats.split(
                figures, lambda d: (d["agency"], d["service_id"])).items()):
            measured = stats.block(part, today, elements, with_elements=True)
            items.append({
                "agency": a, "service_id": service_id,
                "service_name": figures["names"].get((a, service_id)) or service_id,
                "respondents": measured["ikm"]["respondents"],
                "elements": measured["ikm"]["elements"],
                "ikm": {k: measured["ikm"][k] for k in ("ikm", "score", "grade", "grade_label",
                                                        "grade_label_en")},
                "measured": {"wait": measured["wait_month"],
                             "service_time": measured["service_time_month"],
                             "sla": measured["sla"], "visitors": measured["visitors_month"]}})
        return {"month": month, "agency": query["agency"], "items": items}

    def service_ikm(self, agency=None, month=None):
        """``{"month", "agency", "services": [{agency, service_id, respondents, ikm, grade,
        grade_label, grade_label_en}]}`` (the perception view's IKM, without its elements)."""
        view = self.perception(agency, month)
        return {"month": view["month"], "agency": view["agency"], "services": [
            dict(item["ikm"], agency=item["agency"], service_id=item["service_id"],
                 respondents=item["respondents"]) for item in view["items"]]}
