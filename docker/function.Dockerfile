# syntax=docker/dockerfile:1.7
# The enrich, silver and gold functions on the AWS Lambda Python base image; HANDLER picks the stage
# (Terraform also sets it per function through image_config.command).
# Build from the repository root:
#   docker build -f docker/function.Dockerfile --build-arg HANDLER=functions.gold.handler.handler -t udemy-pipeline-gold .
ARG PYTHON_IMAGE=public.ecr.aws/lambda/python:3.12
ARG UV_IMAGE=ghcr.io/astral-sh/uv:0.13.9

FROM ${UV_IMAGE} AS uv

FROM ${PYTHON_IMAGE} AS build
COPY --from=uv /uv /usr/local/bin/uv
WORKDIR /src
COPY pyproject.toml uv.lock ./
# The project's locked runtime dependencies, hashes checked.
RUN uv export --frozen --no-dev --no-emit-project --output-file requirements.txt \
    && uv pip install --no-cache --compile-bytecode --python python3 --target /opt/deps --requirement requirements.txt

FROM ${PYTHON_IMAGE}
ARG HANDLER=functions.gold.handler.handler
ENV UDEMY_PIPELINE_HANDLER=${HANDLER} \
    UDEMY_PIPELINE_SQL_DIR=/var/task/sql \
    UDEMY_PIPELINE_RUNTIME=aws \
    UDEMY_PIPELINE_WORKDIR=/tmp/udemy-pipeline \
    PYTHONDONTWRITEBYTECODE=1
COPY --from=build /opt/deps/ ${LAMBDA_TASK_ROOT}/
COPY contracts/ ${LAMBDA_TASK_ROOT}/contracts/
COPY functions/ ${LAMBDA_TASK_ROOT}/functions/
COPY sql/ ${LAMBDA_TASK_ROOT}/sql/
RUN python3 -m compileall -q "${LAMBDA_TASK_ROOT}/contracts" "${LAMBDA_TASK_ROOT}/functions"
# The handler comes from the command (Lambda's image_config.command) or, without one, from HANDLER.
ENTRYPOINT ["/bin/sh", "-c", "exec /lambda-entrypoint.sh \"${1:-$UDEMY_PIPELINE_HANDLER}\"", "lambda-entrypoint"]
CMD []
