"""Helpers the tests share (import as ``tests.support``)."""
import time

import eventlet


def wait_for(predicate, timeout=10, interval=0.05, message="condition"):
    """Poll until ``predicate()`` is truthy and return its value.

    A bounded wait for something asynchronous (an event handled), never a timing assertion.
    """
    deadline = time.time() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.time() > deadline:
            raise AssertionError("timed out waiting for {}".format(message))
        eventlet.sleep(interval)
