"""The standards service's settings, read once per call from the nameko config."""
from services.common import settings
from services.common.config import timezone_name


class Settings:
    def __init__(self, config):
        self.config = config

    @property
    def tz(self):
        return timezone_name(self.config)

    @property
    def review_months(self):
        return settings.get(self.config, "STANDARDS_REVIEW_MONTHS")

    @property
    def comments_per_day(self):
        return settings.get(self.config, "STANDARDS_COMMENTS_PER_DAY")

    @property
    def mpp_name(self):
        return settings.get(self.config, "MPP_NAME")
