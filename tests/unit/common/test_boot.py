"""Importing ``services.common`` patches nothing; ``boot.install()`` does, once."""
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]

PROBE = """
import logging
from nameko.messaging import QueueConsumer
from nameko.rpc import RpcConsumer
import services.common, services.common.mongo, services.common.events, services.common.logs
from services.common.logs import RefusalsAreNotErrors

def state():
    return (getattr(QueueConsumer.ack_message, "__wrapped__", None) is not None,
            getattr(RpcConsumer.handle_result, "__wrapped__", None) is not None,
            sum(isinstance(f, RefusalsAreNotErrors)
                for f in logging.getLogger("nameko.containers").filters))

print(state())
from services.common import boot
boot.install()
print(state())
boot.install()
print(state(), hasattr(QueueConsumer.ack_message.__wrapped__, "__wrapped__"))
"""


def test_import_patches_nothing_and_install_patches_once():
    out = subprocess.run([sys.executable, "-W", "ignore", "-c", PROBE], cwd=ROOT,
                         env={"PYTHONPATH": str(ROOT)}, capture_output=True, text=True,
                         check=True).stdout.split("\n")
    assert out[0] == "(False, False, 0)"
    assert out[1] == "(True, True, 1)"
    assert out[2] == "(True, True, 1) False"
