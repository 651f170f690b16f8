"""The kit's integration fixture (``mpp_suite``) does what the README says: the PDAM example's
own integration test, run as an integrator runs it, starts the PDAM connector with
``nameko run`` against the whole suite running as processes, files an application over HTTP,
has a PDAM officer forward it and sees the agency's decision arrive."""
import os
import subprocess
import sys
from pathlib import Path

import requests

from tests.e2e.conftest import DEMO_PASSWORD
from tests.support import REKLAME_TYPE

ROOT = Path(__file__).resolve().parents[2]
PDAM = ROOT / "examples" / "pdam"


def test_pdam_example_against_the_running_suite(base_url, e2e_env):
    http = requests.Session()
    token = http.post(base_url + "/api/v1/auth/login", json={
        "username": "admin", "password": DEMO_PASSWORD}, timeout=10).json()["access_token"]
    admin = {"Authorization": "Bearer " + token}
    # PDAM is in the demo catalogue (with its demo officer); its permit type names "pdam"
    permit_type = dict(REKLAME_TYPE, permit_type_id="sambungan-baru", agency="pdam",
                       name="Sambungan air baru", connector="pdam",
                       form=[{"name": "address", "type": "string", "required": True,
                              "label": "Alamat"},
                             {"name": "diameter_inch", "type": "number", "required": True,
                              "label": "Diameter pipa (inci)"}])
    permit_type.pop("id", None)
    saved = http.put(base_url + "/api/v1/admin/permit-types", headers=admin, timeout=10,
                     json=dict(permit_type, version=1))
    assert saved.status_code == 200, saved.text

    env = dict(e2e_env, PYTHONPATH=os.pathsep.join([str(ROOT), str(PDAM)]),
               MPP_SUITE_URL=base_url, MPP_SUITE_AMQP_URI=e2e_env["AMQP_URI"],
               MPP_SUITE_MONGO_URI=e2e_env["MONGO_URI"],
               MPP_SUITE_DB_PREFIX=e2e_env["MONGO_DB_PREFIX"],
               MPP_SUITE_OFFICER="pdam.officer:" + DEMO_PASSWORD)
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "mpp_connector.testing.plugin", "-p",
         "no:cacheprovider", "-q", "-rs", "-k", "running_suite", str(PDAM / "tests")],
        cwd=str(PDAM), env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-3000:]
    assert "1 passed" in done.stdout and "skipped" not in done.stdout, done.stdout
