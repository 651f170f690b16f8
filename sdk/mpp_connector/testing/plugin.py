"""pytest plugin of the connector kit (registered through the ``pytest11`` entry point when
``mpp-connector`` is installed; the suite's own tests load it with ``pytest_plugins``).

Fixtures:

- ``fake_permits``: a fresh ``FakePermits``.
- ``connector_harness``: ``connector_harness(MyConnector, settings={...})`` -> a ``Harness``.
- ``mpp_suite``: the integration fixture. It runs your connector against a real, running
  suite (``make run`` on a development machine, or a staging MPP) and drives an application
  through it over HTTP the way the MPP's staff would::

      def test_against_the_suite(mpp_suite):
          mpp_suite.start_connector("pdam_connector:PdamService", settings=SETTINGS)
          app = mpp_suite.file("sambungan-baru", form={...})
          mpp_suite.forward(app)                      # intake, accept, forward by an officer
          assert mpp_suite.wait_state(app, "approval_1")

  It is skipped unless ``MPP_SUITE_URL`` is set. Settings (environment):
  ``MPP_SUITE_URL`` (the gateway, e.g. ``http://127.0.0.1:8000``), ``MPP_SUITE_AMQP_URI``,
  ``MPP_SUITE_MONGO_URI``, ``MPP_SUITE_DB_PREFIX`` (default ``mpp``) — what the connector
  service is started with — and ``MPP_SUITE_OFFICER`` (``username:password`` of an officer of
  the agency; with ``make run``'s demo data ``officer-<agency>:<demo password>``).
"""
import os
import subprocess
import sys
import tempfile
import time
import uuid

import pytest

from mpp_connector.testing import FakePermits, Harness


@pytest.fixture
def fake_permits():
    return FakePermits()


@pytest.fixture
def connector_harness():
    def make(connector_class, settings=None, config=None):
        return Harness(connector_class, settings, config)

    return make


class SuiteClient:
    """A running suite, seen over HTTP, and connector services started against it."""

    def __init__(self, url, amqp_uri, mongo_uri, prefix, officer):
        import requests

        self.http = requests.Session()
        self.url = url.rstrip("/")
        self.amqp_uri, self.mongo_uri, self.prefix = amqp_uri, mongo_uri, prefix
        self.officer = officer
        self.processes = []
        self._token = None

    def _staff_token(self):
        if self._token is None:
            username, _, password = self.officer.partition(":")
            answer = self.http.post(self.url + "/api/v1/auth/login",
                                    json={"username": username, "password": password},
                                    timeout=10)
            answer.raise_for_status()
            self._token = answer.json()["access_token"]
        return self._token

    def start_connector(self, service, settings=None, name=None, config=None):
        """Run ``nameko run <service>`` (``module:ServiceClass``) as its own process with the
        suite's broker and database and the connector's settings (``<NAME>_CONNECTOR``)."""
        import yaml

        module = __import__(service.split(":")[0], fromlist=["_"])
        service_class = getattr(module, service.split(":")[1])
        name = name or service_class.connector_name
        data = dict(config or {}, AMQP_URI=self.amqp_uri, MONGO_URI=self.mongo_uri,
                    MONGO_DB_PREFIX=self.prefix, CONNECTOR_BACKOFF_SECONDS=0.2)
        data["{}_CONNECTOR".format(name.upper())] = dict(settings or {})
        path = os.path.join(tempfile.mkdtemp(prefix="mpp-connector-"), "config.yaml")
        with open(path, "w") as out:
            yaml.safe_dump(data, out)
        process = subprocess.Popen([sys.executable, "-m", "nameko", "run", service,
                                    "--config", path], cwd=os.getcwd())
        self.processes.append(process)
        return process

    def file(self, permit_type_id, form, documents=(), applicant=None):
        """File an application as a citizen does; returns its application id."""
        import base64

        body = {"permit_type_id": permit_type_id, "form": form,
                "applicant": applicant or {"nik": "6203015708900001", "name": "Uji Konektor",
                                           "phone": "+6281234567890"},
                "documents": [{"kind": kind, "filename": kind + ".pdf",
                               "media_type": "application/pdf",
                               "content": base64.b64encode(b"%PDF-1.4 test\n").decode()}
                              for kind in documents]}
        answer = self.http.post(self.url + "/api/v1/applications", json=body, timeout=10,
                                headers={"Idempotency-Key": "kit-" + uuid.uuid4().hex})
        assert answer.status_code == 201, answer.text
        return answer.json()["application_id"]

    def act(self, application_id, action, note=None):
        answer = self.http.post(
            "{}/api/v1/applications/by-id/{}/actions".format(self.url, application_id),
            json=dict({"action": action}, **({"note": note} if note else {})), timeout=10,
            headers={"Authorization": "Bearer " + self._staff_token()})
        assert answer.status_code == 200, answer.text
        return answer.json()

    def forward(self, application_id):
        """An officer takes the application in, accepts it and forwards it to the agency."""
        for action in ("start_intake", "accept", "forward"):
            self.act(application_id, action)

    def application(self, application_id):
        answer = self.http.get("{}/api/v1/applications/by-id/{}".format(
            self.url, application_id), timeout=10,
            headers={"Authorization": "Bearer " + self._staff_token()})
        answer.raise_for_status()
        return answer.json()

    def wait_state(self, application_id, state, timeout=30):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.application(application_id)["state"] == state:
                return True
            time.sleep(0.2)
        return False

    def close(self):
        for process in self.processes:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()


@pytest.fixture
def mpp_suite():
    url = os.environ.get("MPP_SUITE_URL")
    if not url:
        pytest.skip("MPP_SUITE_URL not set: no running suite to test against")
    client = SuiteClient(url, os.environ.get("MPP_SUITE_AMQP_URI",
                                             "amqp://guest:guest@127.0.0.1:5672/"),
                         os.environ.get("MPP_SUITE_MONGO_URI", "mongodb://127.0.0.1:27017/?retryWrites=false"),
                         os.environ.get("MPP_SUITE_DB_PREFIX", "mpp"),
                         os.environ.get("MPP_SUITE_OFFICER", ""))
    yield client
    client.close()
