# syntax=docker/dockerfile:1.7
# The OCR function: Debian (for Tesseract and its English data) + the Lambda runtime interface client.
# Build from the repository root:  docker build -f docker/ocr.Dockerfile -t udemy-pipeline-ocr .
ARG PYTHON_IMAGE=python:3.12-slim-bookworm
ARG UV_IMAGE=ghcr.io/astral-sh/uv:0.13.9

FROM ${UV_IMAGE} AS uv

FROM ${PYTHON_IMAGE} AS build
ARG AWSLAMBDARIC_VERSION=4.2.2
COPY --from=uv /uv /usr/local/bin/uv
WORKDIR /src
COPY pyproject.toml uv.lock ./
# The project's locked runtime dependencies (hashes checked), then the runtime interface client.
RUN uv export --frozen --no-dev --no-emit-project --output-file requirements.txt \
    && uv pip install --no-cache --compile-bytecode --python python3 --target /opt/deps --requirement requirements.txt \
    && uv pip install --no-cache --compile-bytecode --python python3 --target /opt/deps "awslambdaric==${AWSLAMBDARIC_VERSION}"

FROM ${PYTHON_IMAGE}
# Debian's Tesseract 5 with the English model; the tesserocr wheel reads the data from TESSDATA_PREFIX.
# hadolint ignore=DL3008
RUN apt-get update \
    && apt-get install --yes --no-install-recommends tesseract-ocr tesseract-ocr-eng tesseract-ocr-spa tesseract-ocr-por tesseract-ocr-tur tesseract-ocr-ind tesseract-ocr-rus \
    && rm -rf /var/lib/apt/lists/* \
    && test -f /usr/share/tesseract-ocr/5/tessdata/eng.traineddata
ENV LAMBDA_TASK_ROOT=/var/task \
    PYTHONPATH=/var/task \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    TESSDATA_PREFIX=/usr/share/tesseract-ocr/5/tessdata \
    OMP_THREAD_LIMIT=1 \
    UDEMY_PIPELINE_RUNTIME=aws \
    UDEMY_PIPELINE_WORKDIR=/tmp/udemy-pipeline \
    POWERTOOLS_SERVICE_NAME=udemy-pipeline-ocr
WORKDIR /var/task
COPY --from=build /opt/deps/ /var/task/
COPY contracts/ /var/task/contracts/
COPY functions/ /var/task/functions/
RUN python3 -c "import awslambdaric, tesserocr; print(tesserocr.tesseract_version())" \
    && python3 -c "from functions.ocr.idline import IdLineNet; IdLineNet()" \
    && python3 -m compileall -q /var/task/contracts /var/task/functions
# nobody: the function needs no write access outside /tmp.
USER 65534:65534
ENTRYPOINT ["python", "-m", "awslambdaric"]
CMD ["functions.ocr.handler.handler"]
