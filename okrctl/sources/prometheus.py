"""A prometheus datasource: a KPI's `expr:` asked of the HTTP API as an instant query.

The query is evaluated at the end of the measurement day: `time` is `{end}` at 00:00 UTC (so
`increase(x[7d])` covers the week that ends with the day), after `{date}`, `{start}` and `{end}` in the
expression are replaced by ISO dates. The datasource's timeout bounds each HTTP attempt and is passed to
Prometheus as the query's own timeout; failed connections, timeouts, 429 and 5xx are tried again
(okrctl/http.py), a value taking at most 3 × the timeout + 10 s. The answer must be one number: a scalar, or a
vector of exactly one series.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from okrctl import http
from okrctl.config import Datasource
from okrctl.sources import Reading, Request, SourceError, fill, number_text, secret

ATTEMPTS = 3
PAUSE = 10.0  # seconds: the longest wait between attempts, whatever Retry-After asks
_NOT_FINITE = {"NaN", "+Inf", "-Inf", "Inf"}


class PrometheusSource:
    def __init__(
        self, url: str, token: str | None, timeout: float, sleep: Callable[[float], None] = time.sleep
    ) -> None:
        parts = urlsplit(url)
        self._endpoint = urlunsplit(parts._replace(path=parts.path.rstrip("/") + "/api/v1/query", fragment=""))
        self._headers = {"Accept": "application/json"}
        if token:
            self._headers["Authorization"] = f"Bearer {token}"
        self._timeout = timeout
        self._sleep = sleep

    def read(self, request: Request) -> Reading:
        assert request.query.expr is not None  # a query for a prometheus datasource gives expr
        expr = fill(request.query.expr, request.window)
        at = datetime(*request.window.end.timetuple()[:3], tzinfo=UTC)
        params = {"query": expr, "time": str(int(at.timestamp())), "timeout": f"{self._timeout:g}s"}
        try:
            answer = http.request(
                "GET",
                self._endpoint,
                params=params,
                headers=self._headers,
                timeout=self._timeout,
                attempts=ATTEMPTS,
                budget=self._timeout * ATTEMPTS + PAUSE,  # a value takes no longer, pauses included
                max_wait=PAUSE,
                sleep=self._sleep,
            )
        except http.HttpError as error:
            said = _prometheus_error(error.body)
            raise SourceError(f"Prometheus {said}" if said else str(error)) from None
        try:
            found = json.loads(answer.body)
        except (UnicodeDecodeError, json.JSONDecodeError):
            raise SourceError(
                f"{http.shown(self._endpoint)} did not answer with JSON: is it a Prometheus server?"
            ) from None
        return Reading(_value(found, expr, at))

    def close(self) -> None:
        pass


def _prometheus_error(body: bytes) -> str | None:
    """Prometheus' own words from an error answer (`{"status": "error", "errorType": …, "error": …}`)."""
    try:
        found = json.loads(body)
    except (UnicodeDecodeError, json.JSONDecodeError):
        return None
    if not isinstance(found, dict) or found.get("status") != "error":
        return None
    return f"{found.get('errorType') or 'error'}: {_short(str(found.get('error') or ''), 300)}"


def _value(found: Any, expr: str, at: datetime) -> str:
    when = f"at {at:%Y-%m-%d %H:%M} UTC"
    if not isinstance(found, dict) or found.get("status") not in ("success", "error"):
        raise SourceError("the answer is not a Prometheus API answer")
    if found["status"] == "error":
        said = _short(str(found.get("error") or ""), 300)
        raise SourceError(f"Prometheus {found.get('errorType') or 'error'}: {said}")
    data = found.get("data")
    kind = data.get("resultType") if isinstance(data, dict) else None
    result = data.get("result") if isinstance(data, dict) else None
    if kind == "scalar" and isinstance(result, list) and len(result) == 2:
        return _number(result[1])
    if kind == "vector" and isinstance(result, list):
        if not result:
            raise SourceError(f"no value: {_short(expr)} gives no series {when}")
        if len(result) > 1:
            series = ", ".join(_labels(item) for item in result[:3]) + (", …" if len(result) > 3 else "")
            raise SourceError(
                f"more than one value ({len(result)} series: {series}); aggregate them, e.g. sum(…) or sum by (…)"
            )
        sample = result[0].get("value") if isinstance(result[0], dict) else None
        if isinstance(sample, list) and len(sample) == 2:
            return _number(sample[1])
    if kind == "matrix":
        raise SourceError(
            "the expression gives a range vector, not one value: wrap the [range] selector in a function "
            "such as increase(…) or avg_over_time(…)"
        )
    if kind == "string":
        raise SourceError("the expression gives a string, not a number")
    raise SourceError(f"the answer's result is not one number (resultType {kind!r})")


def _number(text: object) -> str:
    if text in _NOT_FINITE:
        raise SourceError(f"{text} is not a finite number")
    return number_text(text)


def _labels(item: object) -> str:
    # a series' labels are its one object (under `metric`; its sample is a list): found by shape, since a
    # key-result kind shares that name and only key_result_kinds.py may spell one
    labels = next((value for value in item.values() if isinstance(value, dict)), {}) if isinstance(item, dict) else {}
    name = str(labels.get("__name__", ""))
    pairs = ", ".join(f'{key}="{value}"' for key, value in sorted(labels.items()) if key != "__name__")
    return _short(f"{name}{{{pairs}}}", 80)


def _short(text: str, width: int = 120) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def connect(name: str, datasource: Datasource, root: Path) -> PrometheusSource:
    assert datasource.url is not None  # the config requires it
    url = secret(datasource.url, f"datasource {name}'s url")
    token = secret(datasource.token, f"datasource {name}'s token").strip() if datasource.token else None
    # the URL may come from the environment: a message names no part of it but its scheme
    try:
        parts = http.split_url(url)
    except ValueError:
        raise SourceError(f"datasource {name}: the url is not a valid URL") from None
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        what = (
            f"a {parts.scheme}: address" if parts.scheme and parts.netloc else "an address with no http:// or https://"
        )
        raise SourceError(f"datasource {name}: the url must be an http or https address, not {what}")
    return PrometheusSource(url, token, datasource.timeout)
