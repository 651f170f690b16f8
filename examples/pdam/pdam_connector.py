"""PDAM Tirta Kapuas: a new water connection (``sambungan-baru``) is decided in the PDAM's own
system, SIPAM. This connector files the MPP's application there and asks SIPAM how it is doing
until SIPAM decides.

SIPAM's API (what the PDAM's IT gave us)::

    POST {url}/permohonan              {"nomor_mpp", "alamat", "diameter_inch"} -> 201 {"id"}
    GET  {url}/permohonan/{nomor_mpp}  -> 200 {"status", "nomor_sambungan", "catatan"}
                                          or 404 (not filed yet)
    Authorization: Bearer {token}

Configuration (the ``PDAM_CONNECTOR`` section of the service's config)::

    PDAM_CONNECTOR:
      url: https://sipam.pdam-kapuas.example/api
      token: ${PDAM_TOKEN}
      poll_seconds: 900          # ask SIPAM again every 15 minutes
      status_mapping:            # SIPAM's words -> the MPP's; case and spaces do not matter
        BARU: received
        SURVEI: in_review
        MENUNGGU BAYAR: pending_payment
        LUNAS: paid
        PERLU PERBAIKAN: needs_correction
        SELESAI: approved
        DITOLAK: rejected

Run: ``nameko run pdam_connector:PdamService --config pdam.yaml``.
"""
import requests

from mpp_connector import Connector, Pending, connector_service


class SipamError(RuntimeError):
    """SIPAM did not answer as agreed: the kit retries, then parks with an alert."""


class Pdam(Connector):
    name = "pdam"

    def _call(self, method, path, **kwargs):
        response = requests.request(
            method, self.setting("url").rstrip("/") + path, timeout=float(
                self.setting("timeout_seconds", 10)),
            headers={"Authorization": "Bearer {}".format(self.setting("token", ""))}, **kwargs)
        if response.status_code == 404 and method == "GET":
            return None
        if not 200 <= response.status_code < 300:
            raise SipamError("SIPAM answered {}".format(response.status_code))
        return response.json()

    def process(self, application):
        number = application["tracking_code"]
        case = self._call("GET", "/permohonan/" + number)
        if case is None:  # first time: file it at SIPAM (the MPP number is SIPAM's key)
            self._call("POST", "/permohonan", json={
                "nomor_mpp": number, "alamat": application["form"].get("address"),
                "diameter_inch": application["form"].get("diameter_inch")})
            return Pending("received", agency_status="BARU",
                           retry_after_seconds=float(self.setting("poll_seconds", 900)))
        return self.result(case["status"], note=case.get("catatan"),
                           reference=case.get("nomor_sambungan"))


PdamService = connector_service(Pdam)
