"""Promise against practice, the feedback part, on the real broker and database: the IKM of
each service in a month, from the surveys citizens answered."""
import pytest

from services.common.errors import ValidationFailed
from tests.integration.feedback.test_feedback_service import (  # noqa: F401 - fixtures
    NINE, _link, config, rpc, running, send, token_of, visit)
from tests.support import wait_for


def test_each_services_ikm_is_its_respondents_score_and_grade(config, send):
    visit(send, "T-31", wait_minutes=4)
    visit(send, "T-32", wait_minutes=6)
    with rpc(config) as feedback:
        for tid, waktu in (("T-31", 4), ("T-32", 2)):
            token = token_of(wait_for(lambda: _link(feedback, tid))["survey_url"])
            feedback.submit_survey(token, {"answers": dict({c: 4 for c in NINE}, waktu=waktu)})
        month = feedback.service_ikm("disdukcapil")
        other = feedback.service_ikm("samsat")
        with pytest.raises(ValidationFailed) as refused:
            feedback.service_ikm(month="2026-13")
    [ktp] = month["services"]
    assert (ktp["agency"], ktp["service_id"], ktp["respondents"]) == ("disdukcapil", "ktp", 2)
    # nine 4s and 8 x 4 + 2: element means 4 except waktu 3 -> (8 x 4 + 3) / 9 = 3.8889
    assert (ktp["ikm"], ktp["score"], ktp["grade"]) == ("3.8889", "97.22", "A")
    assert other["services"] == []
    assert "month" in refused.value.fields
