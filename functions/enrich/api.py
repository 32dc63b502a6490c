"""A careful client for Udemy's ``api-2.0`` course resource (stdlib ``urllib`` only).

Timeouts, retries with exponential backoff and jitter, ``Retry-After`` honoured on 429/503, a
circuit breaker after repeated 403/5xx, a client-side rate limit, a bounded response size and a
descriptive User-Agent. Every clock and sleep is injectable, so tests run fast.

Outcomes: a payload; ``None`` when the course does not exist or the answer is not usable (a 404,
an HTML challenge page, malformed JSON: permanent, the lookup chain falls through); or
``TransientError`` when the API could not be reached after every retry (the message retries, then
dead-letters with its cause).
"""

from __future__ import annotations

import base64
import json
import os
import random
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from typing import Any

from pydantic import ValidationError

from contracts.records import CoursePayload
from functions.shared.errors import TransientError
from functions.shared.observability import logger

DEFAULT_BASE_URL = "https://www.udemy.com/api-2.0"
BASE_URL_ENV = "UDEMY_API_BASE_URL"
OPT_IN_ENV = "UDEMY_API"
CLIENT_ID_ENV = "UDEMY_CLIENT_ID"
CLIENT_SECRET_ENV = "UDEMY_CLIENT_SECRET"
COURSE_FIELDS = (
    "id,title,url,published_title,headline,is_paid,is_practice_test_course,content_info,locale,visible_instructors"
)
USER_AGENT = "udemy-pipeline/0.1 (certificate enrichment; +https://github.com/udemy-pipeline; one fetch per course)"
RETRYABLE = {408, 425, 429, 500, 502, 503, 504}
BREAKER_STATUSES = {403, 500, 502, 503, 504}


class Permanent(Exception):
    """This request can never give a usable course (404, HTML page, malformed JSON, too large)."""


class _Retry(Exception):
    def __init__(self, reason: str, wait: float | None = None, breaker: bool = False) -> None:
        super().__init__(reason)
        self.reason = reason
        self.wait = wait
        self.breaker = breaker


@dataclass
class ApiConfig:
    base_url: str = DEFAULT_BASE_URL
    client_id: str | None = None
    client_secret: str | None = None
    timeout: float = 10.0
    attempts: int = 4  # tries per request, the first included
    backoff_base: float = 0.5
    backoff_cap: float = 8.0
    max_retry_after: float = 30.0  # a longer Retry-After is not waited for inside one message
    max_bytes: int = 2 * 1024 * 1024
    min_interval: float = 0.25  # client-side rate limit: at most 4 requests a second
    breaker_threshold: int = 5  # consecutive 403/5xx/unreachable that open the circuit
    breaker_cooldown: float = 60.0

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> ApiConfig | None:
        """The API is opt-in: ``UDEMY_API_BASE_URL`` set, or ``UDEMY_API=1`` for the default URL."""
        env = os.environ if env is None else env
        base = env.get(BASE_URL_ENV, "").strip()
        if not base and env.get(OPT_IN_ENV, "").strip().lower() not in {"1", "true", "yes", "on"}:
            return None
        return cls(
            base_url=(base or DEFAULT_BASE_URL).rstrip("/"),
            client_id=env.get(CLIENT_ID_ENV) or None,
            client_secret=env.get(CLIENT_SECRET_ENV) or None,
        )


@dataclass
class _Breaker:
    threshold: int
    cooldown: float
    failures: int = 0
    opened_at: float | None = None

    def check(self, now: float) -> None:
        if self.opened_at is not None and now - self.opened_at < self.cooldown:
            raise TransientError(
                f"Udemy API circuit open after {self.failures} failures; "
                f"failing fast for {self.cooldown - (now - self.opened_at):.0f}s more"
            )

    def record(self, ok: bool, now: float) -> None:
        if ok:
            self.failures, self.opened_at = 0, None
            return
        self.failures += 1
        if self.failures >= self.threshold:
            self.opened_at = now


@dataclass
class CourseApi:
    config: ApiConfig
    sleep: Callable[[float], None] = time.sleep
    clock: Callable[[], float] = time.monotonic
    jitter: Callable[[], float] = random.random
    opener: Callable[..., Any] = urllib.request.urlopen
    requests: int = 0
    _last_request: float | None = None
    _breaker: _Breaker = field(init=False)

    def __post_init__(self) -> None:
        self._breaker = _Breaker(self.config.breaker_threshold, self.config.breaker_cooldown)

    # -- public --------------------------------------------------------------------------------

    def course(self, slug: str) -> CoursePayload | None:
        """``GET /courses/<slug>/``; None when there is no such course (or no usable answer)."""
        path = f"/courses/{urllib.parse.quote(slug, safe='')}/"
        try:
            data = self._get_json(path, {"fields[course]": COURSE_FIELDS})
            return CoursePayload.model_validate(data)
        except (Permanent, ValidationError) as exc:
            logger.info("course not available from the API", slug=slug, reason=str(exc)[:200])
            return None

    def search(self, title: str, page_size: int = 10) -> list[CoursePayload]:
        """``GET /courses/?search=<title>``: the candidates (empty when unusable)."""
        params = {"search": title, "page_size": str(page_size), "fields[course]": COURSE_FIELDS}
        try:
            data = self._get_json("/courses/", params)
        except Permanent as exc:
            logger.info("course search not usable", title=title, reason=str(exc)[:200])
            return []
        results = data.get("results") if isinstance(data, dict) else None
        found = []
        for item in results if isinstance(results, list) else []:
            try:
                found.append(CoursePayload.model_validate(item))
            except ValidationError:
                continue
        return found

    # -- one request, with every guard ---------------------------------------------------------

    def _get_json(self, path: str, params: dict[str, str]) -> Any:
        url = f"{self.config.base_url}{path}?{urllib.parse.urlencode(params)}"
        last = "no attempt"
        for attempt in range(1, self.config.attempts + 1):
            self._breaker.check(self.clock())
            self._throttle()
            try:
                body = self._fetch(url)
            except _Retry as exc:
                self._breaker.record(not exc.breaker, self.clock())
                last = exc.reason
                if attempt == self.config.attempts:
                    break
                wait = exc.wait if exc.wait is not None else self._backoff(attempt)
                if wait > self.config.max_retry_after:
                    raise TransientError(f"Udemy API asks to wait {wait:.0f}s ({last})") from exc
                self.sleep(wait)
                continue
            self._breaker.record(True, self.clock())
            return self._parse(body)
        raise TransientError(f"Udemy API unavailable after {self.config.attempts} tries: {last}")

    def _backoff(self, attempt: int) -> float:
        ceiling = min(self.config.backoff_cap, self.config.backoff_base * 2 ** (attempt - 1))
        return ceiling / 2 + self.jitter() * ceiling / 2  # "equal jitter"

    def _throttle(self) -> None:
        now = self.clock()
        if self._last_request is not None:
            wait = self.config.min_interval - (now - self._last_request)
            if wait > 0:
                self.sleep(wait)
                now = self.clock()
        self._last_request = now

    def _headers(self) -> dict[str, str]:
        headers = {"Accept": "application/json, text/plain, */*", "User-Agent": USER_AGENT}
        if self.config.client_id and self.config.client_secret:
            token = base64.b64encode(f"{self.config.client_id}:{self.config.client_secret}".encode()).decode()
            headers["Authorization"] = f"Basic {token}"
        return headers

    def _fetch(self, url: str) -> tuple[str, bytes]:
        self.requests += 1
        request = urllib.request.Request(url, headers=self._headers(), method="GET")
        try:
            with self.opener(request, timeout=self.config.timeout) as response:
                content_type = response.headers.get("Content-Type", "")
                declared = response.headers.get("Content-Length")
                if declared and declared.isdigit() and int(declared) > self.config.max_bytes:
                    raise Permanent(f"response of {declared} bytes is larger than {self.config.max_bytes}")
                body = response.read(self.config.max_bytes + 1)
        except urllib.error.HTTPError as exc:
            status = exc.code
            retry_after = _retry_after(exc.headers.get("Retry-After") if exc.headers else None)
            exc.close()
            if status in RETRYABLE or (status == 403 and retry_after is not None):
                raise _Retry(f"HTTP {status}", retry_after, breaker=status in BREAKER_STATUSES) from exc
            if status == 403:
                self._breaker.record(False, self.clock())  # refused (often an HTML challenge): not retried
            raise Permanent(f"HTTP {status}") from exc
        except TimeoutError as exc:
            raise _Retry("read timed out", breaker=True) from exc
        except urllib.error.URLError as exc:
            raise _Retry(f"cannot reach the API: {exc.reason}", breaker=True) from exc
        except (ConnectionError, OSError) as exc:
            raise _Retry(f"connection failed: {exc}", breaker=True) from exc
        if len(body) > self.config.max_bytes:
            raise Permanent(f"response larger than {self.config.max_bytes} bytes")
        return content_type, body

    @staticmethod
    def _parse(answer: tuple[str, bytes]) -> Any:
        content_type, body = answer
        head = body.lstrip()[:64].lower()
        if "html" in content_type.lower() or head.startswith((b"<!doctype", b"<html")):
            raise Permanent("an HTML page instead of JSON (a bot challenge or login page)")
        try:
            return json.loads(body)
        except ValueError as exc:
            raise Permanent(f"malformed JSON: {exc}") from exc


def _retry_after(value: str | None) -> float | None:
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        moment = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, moment.timestamp() - time.time())
