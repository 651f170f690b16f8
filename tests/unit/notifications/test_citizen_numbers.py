"""Message pumping: anonymous endpoints take a phone number, so notifications sends to
citizens' numbers of the configured countries only (Indonesia, +62, unless
``NOTIFY_PHONE_COUNTRY_CODES`` says more)."""
from services.notifications import facts, intake, settings


def fact_with(phone):
    fact = facts.Fact(reference="T-1", kind="ticket_issued", key_fields={})
    fact.recipient = {"phone": phone}
    fact.language = "id"
    return fact


def test_only_indonesian_numbers_by_default():
    countries = settings.load({}).phone_countries
    assert countries == (62,)
    assert intake.recipient_prefs(fact_with("0811-0000-0001"), countries)["phone"] == \
        "+6281100000001"
    assert "phone" not in intake.recipient_prefs(fact_with("+44 7911 123456"), countries)


def test_more_countries_when_configured():
    countries = settings.load({"NOTIFY_PHONE_COUNTRY_CODES": "62,60"}).phone_countries
    assert intake.recipient_prefs(fact_with("+60 12-345 6789"), countries)["phone"] == \
        "+60123456789"
