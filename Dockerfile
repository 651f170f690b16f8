# One image for every service; docker-compose.yml picks the service by its command
# (python -m scripts.serve <service>: checks its settings, then runs nameko).
# Runtime dependencies only (requirements.txt); the tests' live in requirements-dev.txt.
FROM python:3.11.10-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PYTHONPATH=/app MPP_ENV=production
WORKDIR /app
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt
# the connector kit (mpp_connector), installed as an integrator installs it
COPY sdk sdk
RUN pip install --no-cache-dir --no-deps ./sdk
COPY config config
COPY catalogue catalogue
COPY services services
COPY scripts scripts
RUN useradd --system --uid 10001 mpp && chown -R mpp /app
USER mpp
CMD ["python", "-m", "scripts.serve", "gateway"]
