"""The Terraform in ``iac/``: formatted, valid against the AWS provider, and a replay state machine that runs.

``terraform validate`` needs the hashicorp/aws provider: it is taken from a filesystem mirror (env
``UDEMY_PIPELINE_TF_MIRROR``, a few well-known places, or a short search), never from the network.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest
from moto import mock_aws

from contracts import keys
from contracts.events import S3ObjectCreatedEvent
from functions.shared.aws import DynamoBatchTracker

LEASE = 300.0  # seconds a gold claim holds before a killed builder can be replaced

ROOT = Path(__file__).resolve().parents[2]
IAC = ROOT / "iac"
ASL = IAC / "replay.asl.json"
REGION = "us-east-1"
ACCOUNT = "123456789012"
BUCKET = "udemy-pipeline-replay"
TABLE = "udemy-pipeline-tracker"

MIRROR_CANDIDATES = (
    "/opt/tf-plugins",
    "/usr/share/terraform/plugins",
    "/usr/local/share/terraform/plugins",
    "~/.terraform.d/plugins",
    "~/.local/share/terraform/plugins",
)


def find_mirror() -> Path | None:
    """A directory holding ``registry.terraform.io/hashicorp/aws``."""
    if env := os.environ.get("UDEMY_PIPELINE_TF_MIRROR"):
        return Path(env) if (Path(env) / "registry.terraform.io" / "hashicorp" / "aws").is_dir() else None
    for candidate in MIRROR_CANDIDATES:
        path = Path(candidate).expanduser()
        if (path / "registry.terraform.io" / "hashicorp" / "aws").is_dir():
            return path
    for base in (Path("/opt"), Path("/usr/local"), Path.home()):  # bounded: a few levels under a few roots
        for depth in ("*", "*/*", "*/*/*"):
            for path in base.glob(f"{depth}/tf-plugins"):
                if (path / "registry.terraform.io" / "hashicorp" / "aws").is_dir():
                    return path
    return None


@pytest.fixture(scope="module")
def terraform() -> str:
    binary = shutil.which("terraform")
    if binary is None:
        pytest.skip("terraform is not installed: cannot check iac/")
    return binary


def run(args: list[str], cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, timeout=300, check=False)


def test_terraform_is_formatted(terraform: str) -> None:
    result = run([terraform, "fmt", "-check", "-recursive", "-diff", "-no-color"], IAC, dict(os.environ))
    assert result.returncode == 0, f"run `terraform fmt` in iac/:\n{result.stdout}{result.stderr}"


def test_terraform_validates_against_the_aws_provider(terraform: str, tmp_path: Path) -> None:
    # Given a copy of iac/ beside the contracts it reads, and a CLI config that only knows the mirror
    mirror = find_mirror()
    if mirror is None:
        pytest.skip("no hashicorp/aws provider mirror found (set UDEMY_PIPELINE_TF_MIRROR to its directory)")
    shutil.copytree(
        IAC, tmp_path / "iac", ignore=shutil.ignore_patterns(".terraform", ".terraform.lock.hcl", "*.tfstate*")
    )
    shutil.copytree(ROOT / "contracts", tmp_path / "contracts", ignore=shutil.ignore_patterns("__pycache__"))
    cli_config = tmp_path / "terraform.rc"
    cli_config.write_text(
        "provider_installation {\n"
        f'  filesystem_mirror {{\n    path    = "{mirror}"\n    include = ["registry.terraform.io/*/*"]\n  }}\n'
        "}\n",
        encoding="utf-8",
    )
    env = {
        **os.environ,
        "TF_CLI_CONFIG_FILE": str(cli_config),
        "TF_DATA_DIR": str(tmp_path / "tf-data"),
        "TF_IN_AUTOMATION": "1",
        "CHECKPOINT_DISABLE": "1",
    }
    workdir = tmp_path / "iac"

    # When
    init = run([terraform, "init", "-backend=false", "-input=false", "-no-color"], workdir, env)
    assert init.returncode == 0, init.stdout + init.stderr
    validate = run([terraform, "validate", "-json", "-no-color"], workdir, env)

    # Then
    report = json.loads(validate.stdout)
    assert report["valid"], json.dumps(report["diagnostics"], indent=2)
    assert report["warning_count"] == 0, json.dumps(report["diagnostics"], indent=2)


# --- the replay state machine, executed by moto -------------------------------------------------


@pytest.fixture
def aws(monkeypatch: pytest.MonkeyPatch, aws_credentials: str) -> Iterator[None]:
    monkeypatch.setenv("MOTO_ACCOUNT_ID", ACCOUNT)
    with mock_aws(config={"stepfunctions": {"execute_state_machine": True}}):
        yield


def render_definition(**values: str) -> str:
    """What Terraform's templatefile() makes of replay.asl.json: ``${name}`` replaced, ``$$`` (context) kept."""
    rendered = re.sub(r"\$\{(\w+)\}", lambda match: values[match.group(1)], ASL.read_text(encoding="utf-8"))
    assert "${" not in rendered, "a placeholder of replay.asl.json was left unrendered"
    json.loads(rendered)
    return rendered


def wait_for(sfn: Any, execution_arn: str, timeout: float = 60.0) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    while True:
        execution = sfn.describe_execution(executionArn=execution_arn)
        if execution["status"] != "RUNNING" or time.monotonic() > deadline:
            return execution
        time.sleep(0.2)


def drain(sqs: Any, url: str) -> list[dict[str, Any]]:
    bodies: list[dict[str, Any]] = []
    while messages := sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10).get("Messages", []):
        for message in messages:
            bodies.append(json.loads(message["Body"]))
            sqs.delete_message(QueueUrl=url, ReceiptHandle=message["ReceiptHandle"])
    return bodies


@pytest.fixture
def replay_stack(aws: None) -> dict[str, Any]:
    s3 = boto3.client("s3", region_name=REGION)
    s3.create_bucket(Bucket=BUCKET)
    ddb = boto3.client("dynamodb", region_name=REGION)
    ddb.create_table(
        TableName=TABLE,
        KeySchema=[{"AttributeName": "batch_id", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "batch_id", "AttributeType": "S"}],
        BillingMode="PAY_PER_REQUEST",
    )
    sqs = boto3.client("sqs", region_name=REGION)
    ocr_queue = sqs.create_queue(QueueName="udemy-pipeline-ocr")["QueueUrl"]
    iam = boto3.client("iam", region_name=REGION)
    role = iam.create_role(
        RoleName="udemy-pipeline-replay",
        AssumeRolePolicyDocument=json.dumps(
            {
                "Version": "2012-10-17",
                "Statement": [
                    {"Effect": "Allow", "Principal": {"Service": "states.amazonaws.com"}, "Action": "sts:AssumeRole"}
                ],
            }
        ),
    )["Role"]["Arn"]
    sfn = boto3.client("stepfunctions", region_name=REGION)
    machine = sfn.create_state_machine(
        name="udemy-pipeline-replay",
        roleArn=role,
        definition=render_definition(
            tracker_table=TABLE,
            bucket=BUCKET,
            landing_prefix="landing/",
            ocr_queue_url=ocr_queue,
            account_id=ACCOUNT,
            region=REGION,
            partition="aws",
        ),
    )["stateMachineArn"]
    return {
        "s3": s3,
        "sqs": sqs,
        "sfn": sfn,
        "ocr_queue": ocr_queue,
        "machine": machine,
        "tracker": DynamoBatchTracker(TABLE, client=ddb),
    }


def test_replay_resets_the_generation_and_resends_every_landing_file(replay_stack: dict[str, Any]) -> None:
    # Given a batch whose gold was built in generation 1, and its three landing files (plus another batch's)
    tracker: DynamoBatchTracker = replay_stack["tracker"]
    names = ["a.jpg", "b.png", "c.pdf"]
    tracker.register_manifest("b1", names)
    for name in names:
        tracker.mark_settled("b1", name, "succeeded")
    assert tracker.try_claim_gold("b1", 1, LEASE)
    s3 = replay_stack["s3"]
    etags = {}
    for name in names:
        key = keys.landing("b1", name)
        etags[key] = s3.put_object(Bucket=BUCKET, Key=key, Body=f"file {name}".encode())["ETag"].strip('"')
    s3.put_object(Bucket=BUCKET, Key=keys.landing("b10", "other.jpg"), Body=b"not this batch")

    # When the replay runs
    sfn = replay_stack["sfn"]
    started = sfn.start_execution(stateMachineArn=replay_stack["machine"], input=json.dumps({"batch_id": "b1"}))
    execution = wait_for(sfn, started["executionArn"])

    # Then it succeeded and says which generation it started
    assert execution["status"] == "SUCCEEDED", execution
    assert json.loads(execution["output"]) == {"batch_id": "b1", "generation": 2}

    # And the OCR queue got one Object Created event per landing file of the batch
    events = [
        S3ObjectCreatedEvent.model_validate(body) for body in drain(replay_stack["sqs"], replay_stack["ocr_queue"])
    ]
    assert sorted(event.key for event in events) == sorted(etags)
    for event in events:
        assert event.bucket == BUCKET
        assert event.etag == etags[event.key]
        assert event.detail.object.size == len(f"file {event.key.rsplit('/', 1)[1]}")
        assert event.account == ACCOUNT
        assert event.region == REGION
        assert event.resources == [f"arn:aws:s3:::{BUCKET}"]
    assert len({event.id for event in events}) == 3

    # And the tracker is in a new generation with nothing settled and the manifest kept
    state = tracker.get("b1")
    assert state is not None
    assert (state.generation, state.settled, state.expected) == (2, {}, names)
    assert state.gold_claimed is False
    assert tracker.try_claim_gold("b1", 1, LEASE) is False
    assert [tracker.try_claim_gold("b1", 2, LEASE) for _ in range(3)] == [True, False, False]


def test_replay_of_an_empty_batch_only_resets(replay_stack: dict[str, Any]) -> None:
    tracker: DynamoBatchTracker = replay_stack["tracker"]
    tracker.register_manifest("empty", [])
    sfn = replay_stack["sfn"]
    started = sfn.start_execution(stateMachineArn=replay_stack["machine"], input=json.dumps({"batch_id": "empty"}))
    execution = wait_for(sfn, started["executionArn"])
    assert execution["status"] == "SUCCEEDED", execution
    assert drain(replay_stack["sqs"], replay_stack["ocr_queue"]) == []
    state = tracker.get("empty")
    assert state is not None
    assert state.generation == 2


def test_replay_refuses_input_without_a_batch_id(replay_stack: dict[str, Any]) -> None:
    sfn = replay_stack["sfn"]
    started = sfn.start_execution(stateMachineArn=replay_stack["machine"], input=json.dumps({"batch": "b1"}))
    execution = wait_for(sfn, started["executionArn"])
    assert execution["status"] == "FAILED"
    assert drain(replay_stack["sqs"], replay_stack["ocr_queue"]) == []
