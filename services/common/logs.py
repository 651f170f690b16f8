"""Structured JSON log lines. Personal data (NIK, names, phone numbers) is never logged:
log identifiers (ticket id, tracking code), never the person."""
import json
import logging
import time

from services.common.errors import DomainError


class JsonFormatter(logging.Formatter):
    def format(self, record):
        line = {
            "ts": time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(record.created))
            + ".%03dZ" % record.msecs,
            "level": record.levelname,
            "logger": record.name,
            "msg": record.getMessage(),
        }
        for key in ("service", "correlation_id", "event", "entity"):
            value = getattr(record, key, None)
            if value is not None:
                line[key] = value
        if record.exc_info:
            line["exc"] = self.formatException(record.exc_info)
        return json.dumps(line, ensure_ascii=False)


class RefusalsAreNotErrors(logging.Filter):
    """nameko logs whatever a worker raises at ERROR with its traceback ("error handling
    worker ..."). A domain error below 500 (not found, invalid data, refused, conflict) is
    the service's answer, not its failure: it is kept as one INFO line, without traceback,
    so an operator's ERRORs are the failures. Installed on ``nameko.containers`` by
    ``install()`` (called by ``services.common.boot.install``)."""

    def filter(self, record):
        exc = record.exc_info[1] if record.exc_info else None
        if isinstance(exc, DomainError) and exc.status < 500:
            record.levelno, record.levelname = logging.INFO, "INFO"
            record.exc_info = record.exc_text = None
        return True


def install():
    """Idempotent."""
    # A line names neither process nor thread (one process per container, green threads):
    # records skip looking them up (a system call and two lookups per line).
    logging.logProcesses = logging.logThreads = logging.logMultiprocessing = False
    logger = logging.getLogger("nameko.containers")
    if not any(isinstance(f, RefusalsAreNotErrors) for f in logger.filters):
        logger.addFilter(RefusalsAreNotErrors())
