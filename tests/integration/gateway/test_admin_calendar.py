"""The MPP admin's calendar over HTTP: the admin adds a *cuti bersama* day and every SLA
deadline follows it; nobody else may change it; bad dates change nothing."""
from tests.integration.gateway.helpers import assert_problem, bearer


def test_the_admin_adds_a_cuti_bersama_day_and_reads_it_back(api):
    admin = bearer(api, "admin")
    before = api.get("/api/v1/admin/calendar", headers=admin)
    assert before.status_code == 200, before.text
    assert before.json()["days_off"] == [] and before.json()["timezone"] == "Asia/Jakarta"
    # this year's cuti bersama from the holidays package, offered to the admin by name, in
    # Bahasa Indonesia first (the page shows the half of the chosen language)
    names = list(before.json()["suggested_days_off"].values())
    assert names and all(name.startswith("Cuti Bersama ") and " / " in name for name in names)

    saved = api.put("/api/v1/admin/calendar", headers=admin,
                    json={"days_off": ["2026-12-24", "2026-12-31"],
                          "working_days": ["2026-12-26"]})
    assert saved.status_code == 200, saved.text
    assert saved.json()["days_off"] == ["2026-12-24", "2026-12-31"]
    assert saved.json()["working_days"] == ["2026-12-26"]
    again = api.get("/api/v1/admin/calendar", headers=admin).json()
    assert again["days_off"] == ["2026-12-24", "2026-12-31"]


def test_a_supervisor_may_not_change_the_calendar(api):
    supervisor = bearer(api, "dpmptsp.supervisor")
    assert_problem(api.put("/api/v1/admin/calendar", headers=supervisor,
                           json={"days_off": ["2026-12-24"]}), 403)
    assert_problem(api.get("/api/v1/admin/calendar", headers=supervisor), 403)
    assert_problem(api.put("/api/v1/admin/calendar", json={"days_off": ["2026-12-24"]}), 401)
    admin = bearer(api, "admin")
    assert api.get("/api/v1/admin/calendar", headers=admin).json()["days_off"] == []


def test_bad_dates_are_422_with_the_field_and_change_nothing(api):
    admin = bearer(api, "admin")
    assert api.put("/api/v1/admin/calendar", headers=admin,
                   json={"days_off": ["2026-12-24"]}).status_code == 200

    not_a_date = assert_problem(api.put("/api/v1/admin/calendar", headers=admin,
                                        json={"days_off": ["2026-02-30"]}), 422)
    assert "days_off" in not_a_date["errors"]
    operator = assert_problem(api.put("/api/v1/admin/calendar", headers=admin,
                                      json={"days_off": {"$gt": ""}}), 422)
    assert "days_off" in operator["errors"]
    # a day cannot be both off and a working day: permits refuses it
    both = assert_problem(api.put("/api/v1/admin/calendar", headers=admin,
                                  json={"days_off": ["2026-12-26"],
                                        "working_days": ["2026-12-26"]}), 422)
    assert "working_days" in both["errors"]
    unknown = assert_problem(api.put("/api/v1/admin/calendar", headers=admin,
                                     json={"days_off": [], "holidays": ["2026-12-25"]}), 422)
    assert "holidays" in unknown["errors"]

    assert api.get("/api/v1/admin/calendar", headers=admin).json()["days_off"] == ["2026-12-24"]
