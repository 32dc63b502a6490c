"""The Udemy API client against a real HTTP server on loopback, with every fault it must survive."""

from __future__ import annotations

import base64
import json
import socket
import time
from pathlib import Path
from typing import Any

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from contracts.records import CertificateFields, CoursePayload
from functions.enrich.api import COURSE_FIELDS, USER_AGENT, ApiConfig, CourseApi
from functions.enrich.chain import ResolutionChain
from functions.samples.catalog import course_payload
from functions.shared.errors import TransientError

PAYLOAD = {
    "_class": "course",
    "id": 567828,
    "title": "The Complete Python Bootcamp From Zero to Hero in Python",
    "url": "/course/complete-python-bootcamp/",
    "published_title": "complete-python-bootcamp",
    "headline": "Learn Python like a Professional",
    "is_paid": True,
    "is_practice_test_course": False,
    "content_info": "22 total hours",
    "locale": {"_class": "locale", "locale": "en_US", "title": "English (US)"},
    "visible_instructors": [{"_class": "user", "title": "Jose Portilla", "display_name": "Jose Portilla"}],
}
SLUG_PATH = "/api-2.0/courses/complete-python-bootcamp/"


class FakeTime:
    """An injectable clock and sleep: waits are recorded, not slept."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.sleeps: list[float] = []

    def clock(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


def client(server: HTTPServer, fake: FakeTime, **config: Any) -> CourseApi:
    cfg = ApiConfig(base_url=server.url_for("/api-2.0"), timeout=2.0, min_interval=0.0, **config)
    return CourseApi(cfg, sleep=fake.sleep, clock=fake.clock, jitter=lambda: 0.5)


@pytest.fixture
def fake() -> FakeTime:
    return FakeTime()


def test_a_course_is_fetched_with_explicit_fields_a_user_agent_and_basic_auth(
    httpserver: HTTPServer, fake: FakeTime
) -> None:
    token = base64.b64encode(b"id:secret").decode()
    httpserver.expect_request(
        SLUG_PATH,
        query_string={"fields[course]": COURSE_FIELDS},
        headers={"User-Agent": USER_AGENT, "Authorization": f"Basic {token}"},
    ).respond_with_json(PAYLOAD)
    course = client(httpserver, fake, client_id="id", client_secret="secret").course("complete-python-bootcamp")
    assert course is not None and course.id == 567828 and course.locale and course.locale.locale == "en_US"


@pytest.mark.parametrize(
    ("status", "body", "content_type"),
    [
        (404, '{"detail": "Not found."}', "application/json"),
        (403, "<!DOCTYPE html><html><body>Just a moment...</body></html>", "text/html"),
        (200, "<!DOCTYPE html><html><title>Attention Required</title></html>", "text/html; charset=utf-8"),
        (200, '{"id": 1, "title": "trunc', "application/json"),
    ],
    ids=["404 slug", "HTML 403", "HTML 200 challenge", "malformed JSON"],
)
def test_permanent_answers_are_no_course_without_retrying(
    httpserver: HTTPServer, fake: FakeTime, status: int, body: str, content_type: str
) -> None:
    httpserver.expect_request(SLUG_PATH).respond_with_data(body, status=status, content_type=content_type)
    api = client(httpserver, fake)
    assert api.course("complete-python-bootcamp") is None
    assert api.requests == 1 and fake.sleeps == []


def test_an_oversized_body_is_refused(httpserver: HTTPServer, fake: FakeTime) -> None:
    big = json.dumps({**PAYLOAD, "headline": "x" * 5000})
    httpserver.expect_request(SLUG_PATH).respond_with_data(big, content_type="application/json")
    assert client(httpserver, fake, max_bytes=1024).course("complete-python-bootcamp") is None


def test_an_oversized_chunked_body_is_cut_at_the_bound(httpserver: HTTPServer, fake: FakeTime) -> None:
    def stream(_: Request) -> Response:
        return Response((b"x" * 512 for _ in range(100)), content_type="application/json")  # no Content-Length

    httpserver.expect_request(SLUG_PATH).respond_with_handler(stream)
    assert client(httpserver, fake, max_bytes=4096).course("complete-python-bootcamp") is None


def test_a_500_then_a_success_retries_with_backoff(httpserver: HTTPServer, fake: FakeTime) -> None:
    httpserver.expect_ordered_request(SLUG_PATH).respond_with_data("oops", status=500)
    httpserver.expect_ordered_request(SLUG_PATH).respond_with_json(PAYLOAD)
    assert client(httpserver, fake).course("complete-python-bootcamp") is not None
    assert fake.sleeps == [0.375]  # backoff 0.5 s with equal jitter at 0.5


def test_503_every_time_raises_transient_after_exponential_backoff(httpserver: HTTPServer, fake: FakeTime) -> None:
    httpserver.expect_request(SLUG_PATH).respond_with_data("busy", status=503)
    with pytest.raises(TransientError, match="HTTP 503"):
        client(httpserver, fake, attempts=4, breaker_threshold=99).course("complete-python-bootcamp")
    assert fake.sleeps == [0.375, 0.75, 1.5]


def test_429_and_503_honour_retry_after(httpserver: HTTPServer, fake: FakeTime) -> None:
    httpserver.expect_ordered_request(SLUG_PATH).respond_with_data(
        "slow down", status=429, headers={"Retry-After": "7"}
    )
    httpserver.expect_ordered_request(SLUG_PATH).respond_with_data("busy", status=503, headers={"Retry-After": "2"})
    httpserver.expect_ordered_request(SLUG_PATH).respond_with_json(PAYLOAD)
    assert client(httpserver, fake).course("complete-python-bootcamp") is not None
    assert fake.sleeps == [7.0, 2.0]


def test_a_retry_after_longer_than_a_message_can_wait_is_transient_at_once(
    httpserver: HTTPServer, fake: FakeTime
) -> None:
    httpserver.expect_request(SLUG_PATH).respond_with_data("later", status=429, headers={"Retry-After": "3600"})
    with pytest.raises(TransientError, match="3600"):
        client(httpserver, fake).course("complete-python-bootcamp")


def test_a_read_timeout_is_retried_then_transient(httpserver: HTTPServer, fake: FakeTime) -> None:
    def slow(_: Request) -> Response:
        time.sleep(0.6)
        return Response(json.dumps(PAYLOAD), content_type="application/json")

    httpserver.expect_request(SLUG_PATH).respond_with_handler(slow)
    api = CourseApi(
        ApiConfig(base_url=httpserver.url_for("/api-2.0"), timeout=0.2, attempts=2, min_interval=0.0),
        sleep=fake.sleep,
        clock=fake.clock,
    )
    with pytest.raises(TransientError, match="timed out"):
        api.course("complete-python-bootcamp")
    assert api.requests == 2


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_connection_refused_is_transient_and_opens_the_circuit(fake: FakeTime) -> None:
    config = ApiConfig(
        base_url=f"http://127.0.0.1:{closed_port()}/api-2.0", attempts=3, breaker_threshold=3, min_interval=0.0
    )
    api = CourseApi(config, sleep=fake.sleep, clock=fake.clock, jitter=lambda: 0.5)
    with pytest.raises(TransientError, match="cannot reach"):
        api.course("a")
    with pytest.raises(TransientError, match="circuit open"):
        api.course("b")  # fails fast: no request while the circuit is open
    assert api.requests == 3
    fake.now += config.breaker_cooldown + 1
    with pytest.raises(TransientError):
        api.course("c")  # half-open after the cool-down: one trial request, which fails and re-opens it
    assert api.requests == 4


def test_the_client_side_rate_limit_spaces_requests(httpserver: HTTPServer, fake: FakeTime) -> None:
    httpserver.expect_request(SLUG_PATH).respond_with_json(PAYLOAD)
    api = CourseApi(
        ApiConfig(base_url=httpserver.url_for("/api-2.0"), min_interval=0.25), sleep=fake.sleep, clock=fake.clock
    )
    for _ in range(3):
        api.course("complete-python-bootcamp")
    assert fake.sleeps == [0.25, 0.25]


def test_title_search_matches_fuzzily_and_refuses_a_wrong_course(httpserver: HTTPServer, fake: FakeTime) -> None:
    decoy = {**PAYLOAD, "id": 2, "title": "The Complete Python Bootcamp 2024", "published_title": "py-2024"}
    httpserver.expect_request("/api-2.0/courses/").respond_with_json({"count": 2, "results": [decoy, PAYLOAD]})
    api = client(httpserver, fake)
    chain = ResolutionChain({}, [], None, api)
    found = chain.match(CertificateFields(title="The Cornplete Python Bootcamp From Zero to Hero in Pyth0n"))
    assert (found.method, found.course and found.course.id) == ("title_search", 567828)
    assert chain.match(CertificateFields(title="The Complete Python Bootcamp 2025")).course is None
    assert httpserver.log[0][0].args["page_size"] == "10"


def test_429_on_every_second_call_fetches_every_course_exactly_once(httpserver: HTTPServer, fake: FakeTime) -> None:
    """Acceptance (b): 30 courses, 60 certificates (each course twice), 429 + Retry-After on every second call."""
    labels = [
        {
            "title": f"Course number {chr(65 + i // 26)}{chr(65 + i % 26)} for testers",
            "instructors": ["A"],
            "length_hours": 2.0,
        }
        for i in range(30)
    ]
    courses = {c.slug: c for c in (course_payload(label) for label in labels)}
    calls: list[str] = []
    served: dict[str, int] = {}

    def handler(request: Request) -> Response:
        calls.append(request.path)
        if len(calls) % 2 == 0:
            return Response("rate limited", status=429, headers={"Retry-After": "3"})
        slug = request.path.rstrip("/").rsplit("/", 1)[-1]
        served[slug] = served.get(slug, 0) + 1
        return Response(courses[slug].model_dump_json(), content_type="application/json")

    httpserver.expect_request(__import__("re").compile(r"^/api-2\.0/courses/[^/]+/$")).respond_with_handler(handler)
    api = client(httpserver, fake)
    store = MemoryStore()
    links = {f"uc-{i}": slug for i, slug in enumerate(list(courses) * 2)}
    chain = ResolutionChain(links, [], store, api)
    for cert_id in links:
        match = chain.match(CertificateFields(certificate_id=cert_id))
        assert match.course is not None
        store.cache(match.course)  # what the enrich stage does after a match
    print(
        f"(b) {len(links)} certificates, {len(calls)} requests, fetches per course {set(served.values())}, "
        f"waits {sorted(set(fake.sleeps))} x{len(fake.sleeps)}"
    )
    assert served == dict.fromkeys(courses, 1)
    assert fake.sleeps == [3.0] * 29  # every 429 but none of the successes waited its Retry-After
    assert len(calls) == 59  # 30 fetches + 29 refusals: the second certificate of each course hit the cache


class MemoryStore:
    """Just enough of an object store for the course cache."""

    bucket = "memory"

    def __init__(self) -> None:
        self.objects: dict[str, bytes] = {}

    def cache(self, course: CoursePayload) -> None:
        self.objects.setdefault(f"bronze/courses/{course.id}.json", course.model_dump_json().encode())

    def list_keys(self, prefix: str) -> list[str]:
        return sorted(k for k in self.objects if k.startswith(prefix))

    def get_bytes(self, key: str) -> bytes:
        return self.objects[key]


def bronze_batch(runtime: Any, batch_id: str, count: int) -> dict[str, CoursePayload]:
    """Land a batch's manifest and bronze certificates directly (OCR is not what this tests)."""
    from datetime import date

    from contracts import keys
    from contracts.records import BatchManifest, BronzeCertificate, ManifestFile

    courses: dict[str, CoursePayload] = {}
    items = [f"cert-{i:03d}.jpg" for i in range(count)]
    manifest = BatchManifest(
        batch_id=batch_id, files=[ManifestFile(name=n, sha256="0" * 64, size=1) for n in items], expected_count=count
    )
    runtime.store.put_bytes(keys.manifest(batch_id), manifest.model_dump_json().encode(), "application/json")
    link_rows = {}
    for i, item in enumerate(items):
        label = {"title": f"Practical Topic {chr(65 + i // 26)}{chr(65 + i % 26)} for Engineers", "instructors": ["B"]}
        label["length_hours"] = 1.5
        course = course_payload(label)
        courses[course.slug] = course
        cert_id = f"UC-{i:08d}-0000-0000-0000-000000000000"
        link_rows[cert_id.lower()] = course.slug
        bronze = BronzeCertificate(
            batch_id=batch_id,
            item=item,
            source_key=keys.landing(batch_id, item),
            source_etag="e",
            source_sha256="0" * 64,
            media_type="image/jpeg",
            design="current",
            language="en",
            engine="test",
            engine_version="0",
            fields=CertificateFields(
                certificate_id=cert_id,
                title=label["title"],
                instructors=["B"],
                student="Ann Example",
                completed_on=date(2025, 1, 1 + i % 28),
                length_hours=1.5,
            ),
            confidence={},
            raw_text="",
        )
        runtime.store.put_bytes(keys.bronze_certificate(batch_id, item), bronze.model_dump_json().encode())
    from functions.enrich import links

    links.write(runtime.settings.workdir, link_rows)
    return courses


@pytest.mark.slow
def test_a_batch_while_the_api_is_down_dead_letters_then_redrive_fills_it_without_duplicates(
    httpserver: HTTPServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Acceptance (a): 50 certificates while the API refuses connections, then the API comes back."""
    import duckdb

    from contracts.settings import Settings
    from functions.local_runtime import batches
    from functions.local_runtime.runtime import LocalRuntime
    from functions.local_runtime.workers import WorkerPool, drive

    monkeypatch.setenv("UDEMY_PIPELINE_LOCAL_BACKOFF_SECONDS", "0.05")
    monkeypatch.setenv("UDEMY_API_BASE_URL", f"http://127.0.0.1:{closed_port()}/api-2.0")
    settings = Settings(workdir=tmp_path)
    runtime = LocalRuntime.open(settings)
    courses = bronze_batch(runtime, "down", 50)

    def queues_empty() -> bool:
        return not any(sum(runtime.queues.depth(s)) for s in ("ocr", "enrich", "silver", "gold"))

    started = time.time()
    with WorkerPool(settings, 2) as pool:
        drive(runtime, pool, queues_empty)
    down_seconds = time.time() - started
    letters = runtime.queues.dead_letters("enrich")
    assert len(letters) == 50 and all("TransientError" in (letter.last_error or "") for letter in letters)
    state = runtime.tracker.get("down")
    assert state is not None and not state.is_settled

    served: dict[str, int] = {}

    def handler(request: Request) -> Response:
        slug = request.path.rstrip("/").rsplit("/", 1)[-1]
        served[slug] = served.get(slug, 0) + 1
        return Response(courses[slug].model_dump_json(), content_type="application/json")

    httpserver.expect_request(__import__("re").compile(r"^/api-2\.0/courses/[^/]+/$")).respond_with_handler(handler)
    monkeypatch.setenv("UDEMY_API_BASE_URL", httpserver.url_for("/api-2.0"))
    assert runtime.queues.redrive("enrich") == 50
    started = time.time()
    with WorkerPool(settings, 2) as pool:
        result = drive(runtime, pool, lambda: bool((s := runtime.tracker.get("down")) and s.gold_done))
    redrive_seconds = time.time() - started
    assert result.done
    con = duckdb.connect(str(batches.gold_paths(runtime)[0]), read_only=True)
    rows = con.execute(
        "select count(*), count(distinct certificate_key), count(course_id), "
        "count(*) filter (where enrichment_method = 'api'), count(course_language), count(is_paid) "
        "from fact_certificate"
    ).fetchone()
    con.close()
    print(f"(a) down: 50 dead letters in {down_seconds:.1f}s; redrive: settled in {redrive_seconds:.1f}s, gold {rows}")
    assert rows == (50, 50, 50, 50, 50, 50)
    assert served == dict.fromkeys(courses, 1)
