"""Message pumping: one phone number gets at most ``NOTIFY_MAX_MESSAGES_PER_NUMBER_PER_DAY``
messages a day, however many tickets someone takes with it; the next ones are not sent to
it (a permanent failure with nothing to send, visible to staff)."""
from tests.integration.notifications.conftest import ticket_issued, wait_status


def test_one_number_gets_a_capped_number_of_messages_a_day(notify_config, start_notifications,
                                                           events):
    notify_config["NOTIFY_MAX_MESSAGES_PER_NUMBER_PER_DAY"] = 3
    start_notifications(notify_config)
    for i in range(5):
        events.send("ticketing", "ticket_contact_given",
                    ticket_issued("T-{}".format(i), phone="0811-0000-0009"))
    statuses = [wait_status(notify_config, "ticket_issued:T-{}".format(i),
                            ("delivered", "permanent_failure"))["status"] for i in range(5)]
    assert statuses.count("delivered") == 3, statuses
    # another number is not affected
    events.send("ticketing", "ticket_contact_given", ticket_issued("U-1", phone="0811-0000-0008"))
    assert wait_status(notify_config, "ticket_issued:U-1", "delivered")
