"""The baseline's subject: a nameko service that does nothing but answer."""
from nameko.rpc import rpc

from services.common import boot

boot.install()


class EchoService:
    name = "bench_echo"

    @rpc
    def echo(self, value):
        return value
