# One image for every service; docker-compose.yml picks the service by its command.
FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PYTHONPATH=/app
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
CMD ["nameko", "run", "--config", "config/nameko.yaml", "services.gateway.service:GatewayService"]
