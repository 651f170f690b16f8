"""The feedback service reads the MPP calendar from its own copy: kept up to date by
permits' ``calendar_changed`` event, fetched once from a running permits service while no
copy exists, and the national calendar while neither has answered."""
from datetime import datetime, timedelta

import pytest
from nameko.standalone.events import event_dispatcher
from nameko.standalone.rpc import ServiceRpcProxy

from services.common import calendar
from services.common import clock as clk
from services.common.config import database_name
from services.common.events import envelope
from services.common.workdays import WorkingCalendar, add_working_days, next_working_day
from services.contracts import events
from services.feedback.service import FeedbackService
from services.permits.service import PermitsService
from tests.support import wait_for

COMPLAINT = {"kind": "saran", "agency": "disdukcapil", "text": "Tolong tambah kursi ruang tunggu."}


@pytest.fixture
def db(mongo_client, service_config):
    return mongo_client[database_name(service_config, "feedback")]


def _received(filed):
    return datetime.fromisoformat(filed["received_at"].replace("Z", "+00:00"))


def _next_working_day():
    """The first national working day after today (local): a day off there moves every
    complaint's deadline filed today."""
    return next_working_day(clk.local_day(clk.Clock().now()))


def _file(config):
    with ServiceRpcProxy("feedback", config) as feedback:
        return feedback.file_complaint(dict(COMPLAINT))


def test_calendar_changed_keeps_the_newest_calendar_and_deadlines_count_on_it(
        container_factory, service_config, db):
    container_factory(FeedbackService, service_config).start()
    dispatch = event_dispatcher(service_config)
    day_off = _next_working_day().isoformat()
    newer = envelope({"timezone": "Asia/Jakarta", "days_off": [day_off], "working_days": [],
                      "joint_holidays": False, "suggested_days_off": {}})
    dispatch(events.PERMITS, events.CALENDAR_CHANGED, newer)
    copy = wait_for(lambda: calendar.read(db.settings), message="the copy")
    assert copy["days_off"] == [day_off]

    filed = _file(service_config)
    expected = add_working_days(_received(filed), 5, WorkingCalendar(days_off=[day_off]))
    assert filed["due_at"] == clk.iso(expected)
    assert expected > add_working_days(_received(filed), 5)  # the day off moved it

    # a later change replaces it
    latest = envelope({"days_off": [], "working_days": [], "joint_holidays": False})
    dispatch(events.PERMITS, events.CALENDAR_CHANGED, latest)
    wait_for(lambda: calendar.read(db.settings)["days_off"] == [],
             message="the latest calendar")
    kept = calendar.read(db.settings)
    # BSON keeps milliseconds
    assert clk.iso(kept["occurred_at"])[:23] == latest["occurred_at"][:23]
    again = _file(service_config)
    assert again["due_at"] == clk.iso(add_working_days(_received(again), 5))


def test_an_older_change_delivered_late_never_replaces_a_newer_copy(db):
    settings = db.settings
    now = clk.Clock().now()
    newer = dict(envelope({"days_off": ["2026-12-24"]}), occurred_at=clk.iso(now))
    older = dict(envelope({"days_off": []}), occurred_at=clk.iso(now - timedelta(minutes=5)))
    assert calendar.keep_event(settings, newer)
    assert not calendar.keep_event(settings, older)
    assert not calendar.keep(settings, calendar.copy_of({"days_off": []}))  # an RPC answer
    assert calendar.read(settings)["days_off"] == ["2026-12-24"]
    assert not calendar.keep_event(settings, dict(newer))  # the same event again
    latest = dict(envelope({"days_off": ["2026-12-31"]}),
                  occurred_at=clk.iso(now + timedelta(seconds=1)))
    assert calendar.keep_event(settings, latest)
    assert calendar.read(settings)["days_off"] == ["2026-12-31"]
    assert settings.count_documents({}) == 1


def test_a_fetched_copy_is_replaced_by_the_first_event(db):
    settings = db.settings
    assert calendar.keep(settings, calendar.copy_of({"days_off": ["2026-12-24"]}))
    assert calendar.keep_event(settings, envelope({"days_off": []}))
    assert calendar.read(settings)["days_off"] == []
    assert settings.count_documents({}) == 1


def test_changes_kept_at_once_leave_the_newest(db):
    import eventlet

    now = clk.Clock().now()
    changes = [dict(envelope({"days_off": ["2026-12-{:02d}".format(i + 1)]}),
                    occurred_at=clk.iso(now + timedelta(milliseconds=i))) for i in range(8)]
    list(eventlet.GreenPool(8).imap(lambda e: calendar.keep_event(db.settings, e),
                                    reversed(changes)))
    assert calendar.read(db.settings)["days_off"] == ["2026-12-08"]


def test_without_a_copy_permits_is_asked_once_and_its_answer_kept(
        container_factory, service_config, db):
    permits = container_factory(PermitsService, service_config)
    permits.start()
    container_factory(FeedbackService, service_config).start()
    day_off = _next_working_day().isoformat()
    with ServiceRpcProxy("permits", service_config) as rpc:
        rpc.set_calendar({"days_off": [day_off]})

    first = _file(service_config)
    with_day_off = WorkingCalendar(days_off=[day_off])
    assert first["due_at"] == clk.iso(add_working_days(_received(first), 5, with_day_off))
    copy = calendar.read(db.settings)
    assert copy["days_off"] == [day_off]

    # permits gone: the kept copy still counts the day off (no request waits on permits)
    permits.stop()
    second = _file(service_config)
    assert second["due_at"] == clk.iso(add_working_days(_received(second), 5, with_day_off))


def test_with_no_copy_and_no_permits_the_national_calendar_counts(
        container_factory, service_config, db):
    container_factory(FeedbackService, service_config).start()
    filed = _file(service_config)
    assert filed["due_at"] == clk.iso(add_working_days(_received(filed), 5))
    assert calendar.read(db.settings) is None
