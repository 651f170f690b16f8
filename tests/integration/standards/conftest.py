"""The standards service with permits and ticketing on the real broker and database: a small
catalogue (one permit type, one queue service of the same agency), staff actors, and a
standard filled with all fourteen components."""
from datetime import timedelta

import pytest
from nameko.standalone.rpc import ServiceRpcProxy

from services.common import clock as clk
from services.common.config import database_name
from services.permits.service import PermitsService
from services.standards.service import StandardsService
from services.ticketing.service import TicketingService

HOURS = {"mon": ["07:30", "15:00"], "tue": ["07:30", "15:00"], "wed": ["07:30", "15:00"],
         "thu": ["07:30", "15:00"], "fri": ["07:30", "11:00"]}
CATALOGUE = {"agencies": [
    {"code": "dpmptsp", "name": "Dinas Penanaman Modal dan PTSP", "name_en": "One-stop office",
     "services": [{"id": "nib", "prefix": "N", "name": "Konsultasi NIB",
                   "opening_hours": HOURS, "default_service_minutes": 15}],
     "counters": [{"id": "dpm-1", "name": "Loket 1", "services": ["nib"]}],
     "permit_types": [
         {"id": "reklame", "name": "Izin Reklame", "name_en": "Billboard permit",
          "effective_from": "2026-01-01", "sla_working_days": 10, "fee": 150000,
          "approval_levels": 1, "connector": "simulated",
          "requirements": [{"kind": "ktp", "name": "KTP pemohon"}],
          "form": [{"name": "size_m2", "type": "number", "min": 0.5, "required": True,
                    "label": "Ukuran (m2)"}]}]},
    {"code": "polres", "name": "Polres Kapuas", "services": [
        {"id": "skck", "prefix": "S", "name": "SKCK", "opening_hours": HOURS}],
     "counters": [], "permit_types": []},
]}

SUPERVISOR = {"username": "sri.dpm", "role": "supervisor", "agency": "dpmptsp"}
OTHER_SUPERVISOR = {"username": "budi.polres", "role": "supervisor", "agency": "polres"}
OFFICER = {"username": "andi.dpm", "role": "officer", "agency": "dpmptsp"}
ADMIN = {"username": "admin", "role": "admin", "agency": None}

TEXT_COMPONENTS = {
    "product": "Surat Izin Reklame (SIR) elektronik bertanda tangan elektronik.",
    "complaints": ["Kotak pengaduan di MPP", "SP4N-LAPOR!", "WhatsApp 0811-0000-0009"],
    "legal_basis": "Perda Kabupaten Kapuas tentang Pajak dan Retribusi Daerah.",
    "facilities": "Ruang tunggu, loket, kiosk antrean, akses kursi roda.",
    "competence": "Pelaksana memahami ketentuan perizinan reklame.",
    "oversight": "Pengawasan oleh atasan langsung dan inspektorat.",
    "staff_count": 3,
    "guarantee": "Pelayanan diberikan sesuai standar; bila tidak, pengaduan ditanggapi.",
    "security": "Data pemohon dijaga kerahasiaannya.",
    "evaluation": "Evaluasi kinerja pelaksana setiap enam bulan.",
    "procedure": [{"step": 1, "name": "Pemohon mengajukan permohonan"},
                  {"step": 2, "name": "Verifikasi berkas"},
                  {"step": 3, "name": "Penerbitan izin"}],
}


def permit_components(days=7, fee=100000):
    return dict(TEXT_COMPONENTS, requirements=[
        {"kind": "ktp", "name": "KTP pemohon", "required": True},
        {"kind": "desain", "name": "Desain reklame", "required": True}],
        time={"working_days": days}, cost={"fee": fee, "legal_basis": "Perda 1/2024"})


@pytest.fixture
def config(service_config):
    return dict(service_config)


def start(runner_factory, config, *classes):
    runner = runner_factory(config, *classes)
    runner.start()
    return runner


@pytest.fixture
def suite(runner_factory, config):
    runner = start(runner_factory, config, StandardsService, PermitsService, TicketingService)
    with ServiceRpcProxy("ticketing", config) as ticketing:
        ticketing.load_catalogue(CATALOGUE)
    with ServiceRpcProxy("permits", config) as permits:
        permits.load_catalogue(CATALOGUE)
    return runner


@pytest.fixture
def rpc(config):
    proxies = []

    def make(name="standards"):
        proxy = ServiceRpcProxy(name, config)
        proxies.append(proxy)
        return proxy.start()
    yield make
    for proxy in proxies:
        proxy.stop()


@pytest.fixture
def db(mongo_client, config):
    return mongo_client[database_name(config, "standards")]


def today():
    return clk.local_day(clk.Clock().now(), "Asia/Jakarta")


def consultation(days=7):
    return {"opens_on": today().isoformat(),
            "closes_on": (today() + timedelta(days=days)).isoformat(),
            "invited_groups": ["users", "business", "press"]}
