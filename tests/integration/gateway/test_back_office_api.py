"""What the back office and the portal read and send beyond the workflow itself: the actions
a person may take (the same rule the act path applies), the work list's masked applicant,
documents for the owning agency's staff, notification status by tracking code, and the
applicant's notification preferences behind the PIN."""
from tests.integration.gateway.helpers import (assert_problem, bearer, documented,
                                               file_reklame)
from tests.support import PDF


def test_the_staff_view_offers_what_the_act_path_then_accepts(api):
    app = file_reklame(api, "office-actions-1")
    officer, supervisor = bearer(api, "dpmptsp.officer"), bearer(api, "dpmptsp.supervisor")
    url = "/api/v1/applications/by-id/" + app["application_id"]

    view = api.get(url, headers=officer).json()
    assert [a["action"] for a in view["actions"]] == ["start_intake"]
    assert view["actions"][0]["label"] == "Mulai pemeriksaan berkas"
    assert api.post(url + "/actions", json={"action": "accept"}, headers=officer).status_code == 409
    assert api.post(url + "/actions", json={"action": "start_intake"},
                    headers=officer).status_code == 200

    offered = {a["action"]: a for a in api.get(url, headers=officer).json()["actions"]}
    assert set(offered) == {"accept", "return", "reject"}
    assert offered["return"]["needs_reason"] is True and offered["accept"]["needs_reason"] is False
    # a supervisor may cancel in intake; an officer may not, and is not offered it
    assert "cancel" in {a["action"] for a in api.get(url, headers=supervisor).json()["actions"]}
    assert api.post(url + "/actions", json={"action": "cancel", "note": "x"},
                    headers=officer).status_code == 403
    history = api.get(url, headers=officer).json()["history"]
    assert [(h["actor"], h["to_label"].split(" / ")[0]) for h in history][-1] == (
        "dpmptsp.officer", "Pemeriksaan berkas")


def test_the_work_list_masks_the_applicant_and_names_the_type(api):
    app = file_reklame(api, "office-list-1")
    rows = api.get("/api/v1/applications", headers=bearer(api, "dpmptsp.officer")).json()["items"]
    row = next(r for r in rows if r["application_id"] == app["application_id"])
    assert row["applicant_masked"] == "S*** A*****"
    assert "Siti" not in str(row) and "6203015708900001" not in str(row)
    assert row["permit_type_name"] and row["filed_at"] and row["sla"]["due_at"]


def test_documents_open_for_the_owning_agency_only(api):
    app = file_reklame(api, "office-docs-1")
    url = "/api/v1/applications/by-id/{}/documents/ktp".format(app["application_id"])
    mine = api.get(url, headers=bearer(api, "dpmptsp.officer"))
    assert mine.status_code == 200 and mine.content == PDF
    assert mine.headers["Content-Type"] == "application/pdf"
    assert_problem(api.get(url, headers=bearer(api, "samsat.officer")), 403)
    assert_problem(api.get(url), 401)
    missing = url.replace("/ktp", "/desain")
    assert_problem(api.get(missing, headers=bearer(api, "dpmptsp.officer")), 404)


def test_notification_status_by_the_tracking_code_the_list_shows(api):
    app = file_reklame(api, "office-notif-1")
    mine = api.get("/api/v1/notifications", params={"reference": app["tracking_code"]},
                   headers=bearer(api, "dpmptsp.officer"))
    assert mine.status_code == 200, mine.text
    assert_problem(api.get("/api/v1/notifications", params={"reference": app["tracking_code"]},
                           headers=bearer(api, "samsat.officer")), 403)


def test_the_applicant_sets_notification_preferences_behind_the_pin(api):
    app = file_reklame(api, "office-prefs-1")
    url = "/api/v1/applications/{}/notification-preferences".format(app["tracking_code"])
    wrong = "000000" if app["pin"] != "000000" else "111111"
    assert_problem(api.put(url, json={"pin": wrong, "preferences": {"phone": "0811-5200-0001"}}),
                   404)
    bad = assert_problem(api.put(url, json={"pin": app["pin"],
                                            "preferences": {"phone": "12"}}), 422)
    assert "phone" in bad["errors"]
    saved = api.put(url, json={"pin": app["pin"], "preferences": {
        "phone": "0811-5200-0001", "language": "en", "channels": ["sms", "whatsapp"],
        "opt_out": ["whatsapp", "sms", "email"]}})
    assert sorted(documented(saved)["opt_out"]) == ["email", "sms", "whatsapp"]
    assert "0811" not in saved.text  # the number is not answered back
    assert "reference" not in saved.json() and app["application_id"] not in saved.text


def test_the_admin_saves_the_mpp_settings_and_reads_back_what_now_applies(api):
    admin = bearer(api, "admin")
    url = "/api/v1/admin/settings"
    bad = assert_problem(api.put(url, json={"timezone": "Mars/Olympus"}, headers=admin), 422)
    assert "timezone" in bad["errors"]
    assert_problem(api.put(url, json={}, headers=bearer(api, "samsat.supervisor")), 403)
    saved = documented(api.put(url, json={"calling_rule": {"max_priority_in_row": 3}},
                               headers=admin))
    assert saved["timezone"] == "Asia/Jakarta" and saved["near_front_position"] == 3
    assert saved["calling_rule"]["max_priority_in_row"] == 3
    assert saved["calling_rule"]["priority_groups"]  # the defaults filled in
