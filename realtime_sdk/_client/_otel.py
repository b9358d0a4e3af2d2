"""An optional OpenTelemetry span per call (``otel_tracing=True``; the ``otel`` extra).

Only the OpenTelemetry API is used: spans go to whatever tracer provider the application
set up (none set: the API's no-op one). Each call is one ``CLIENT`` span named like
``POST realtime/client_secrets``, with an event per attempt. Attributes never hold the
key: the method, path, host, status, request id (masked like every server-sent text),
attempt count and duration.
"""

import time
from collections.abc import Awaitable, Callable
from importlib import import_module
from typing import Any, Final, NamedTuple, TypeVar

from yarl import URL

from realtime_sdk._version import DISTRIBUTION, __version__
from realtime_sdk.errors import APIStatusError, ConfigurationError

T = TypeVar("T")

INSTRUMENTATION_NAME: Final = "realtime_sdk"
INSTALL_HINT: Final = f"pip install '{DISTRIBUTION}[otel]'"


class Attempt(NamedTuple):
    """One attempt as the span's event records it."""

    status: int | None
    request_id: str | None
    duration: float
    error: str | None


def get_tracer() -> Any:  # noqa: ANN401 - an optional dependency's type
    """The tracer spans are made with.

    Raises:
        ConfigurationError: ``opentelemetry-api`` is not installed.
    """
    try:
        trace = import_module("opentelemetry.trace")
    except ImportError:
        msg = f"otel_tracing: the OpenTelemetry API is not installed ({INSTALL_HINT})"
        raise ConfigurationError(msg) from None
    return trace.get_tracer(INSTRUMENTATION_NAME, __version__)


async def traced(
    tracer: Any,  # noqa: ANN401 - an optional dependency's type
    *,
    sdk_method: str,
    url: URL,
    run: Callable[[list[Attempt]], Awaitable[T]],
) -> T:
    """Run one call inside a span and describe it there.

    Args:
        tracer: from `get_tracer`.
        sdk_method: the client method's name.
        url: the endpoint's URL (its host, port and path are recorded; a call's path
            keeps its ``{call_id}`` placeholder, so spans group by operation).
        run: the call; it appends each attempt to the list it is given.

    Returns:
        What ``run`` returned.
    """
    trace = import_module("opentelemetry.trace")
    attempts: list[Attempt] = []
    started = time.monotonic()
    attributes: dict[str, Any] = {
        "http.request.method": "POST",
        "url.path": url.path,
        "server.address": url.host or "",
        "realtime_sdk.method": sdk_method,
    }
    if url.port is not None:
        attributes["server.port"] = url.port
    route = url.path.partition("/realtime/")[2]
    name = f"POST realtime/{route}" if route else f"POST {url.path}"
    with tracer.start_as_current_span(
        name,
        kind=trace.SpanKind.CLIENT,
        attributes=attributes,
        record_exception=False,  # a traceback could carry what a provider's error said
        set_status_on_exception=False,
    ) as span:
        try:
            result = await run(attempts)
        except BaseException as exc:
            _describe(span, attempts, started)
            span.set_attribute("error.type", type(exc).__name__)
            if isinstance(exc, APIStatusError):
                span.set_attribute("http.response.status_code", exc.status_code)
            span.set_status(trace.Status(trace.StatusCode.ERROR, type(exc).__name__))
            raise
        _describe(span, attempts, started)
        return result


def _describe(span: Any, attempts: list[Attempt], started: float) -> None:  # noqa: ANN401 - an optional dependency's type
    span.set_attribute("realtime_sdk.attempts", len(attempts))
    if attempts:
        last = attempts[-1]
        if last.status is not None:
            span.set_attribute("http.response.status_code", last.status)
        if last.request_id is not None:
            span.set_attribute("realtime_sdk.request_id", last.request_id)
    span.set_attribute("realtime_sdk.duration_s", time.monotonic() - started)
    for number, attempt in enumerate(attempts, start=1):
        event: dict[str, Any] = {
            "realtime_sdk.attempt": number,
            "realtime_sdk.duration_s": attempt.duration,
        }
        if attempt.status is not None:
            event["http.response.status_code"] = attempt.status
        if attempt.request_id is not None:
            event["realtime_sdk.request_id"] = attempt.request_id
        if attempt.error is not None:
            event["error.type"] = attempt.error
        span.add_event("attempt", event)


__all__ = ["Attempt", "get_tracer", "traced"]
