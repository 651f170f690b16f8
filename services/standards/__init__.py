"""The standards service: service standards (standar pelayanan), their public consultation
and the papers they produce. See ``service.py``."""
