"""An optional OpenTelemetry span per call (``otel_tracing=True``; the ``otel`` extra).

Only the OpenTelemetry API is used: spans go to whatever tracer provider the application
set up (none set: the API's no-op one). Each call is one ``CLIENT`` span named like
``POST realtime/client_secrets``, current while the call runs, with an event per attempt.
The span is fed through the same seam as the ``on_attempt`` hook: the attempt engine
hands it each `Attempt` record, so tracing adds no coroutine of its own. Attributes never
hold the key: the method, path, host, status, request id (masked like every server-sent
text), attempt count and duration.
"""

import time
from importlib import import_module
from typing import Any, Final

from yarl import URL

from realtime_sdk._client._attempts import Attempt
from realtime_sdk._version import DISTRIBUTION, __version__
from realtime_sdk.errors import APIStatusError, ConfigurationError

INSTRUMENTATION_NAME: Final = "realtime_sdk"
INSTALL_HINT: Final = f"pip install '{DISTRIBUTION}[otel]'"


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


class CallSpan:
    """One call's span: started before the call, told of each attempt, ended once.

    The engine calls `attempt` with each attempt's record (the ``on_attempt`` seam) and
    `end` exactly once, with the exception the call ends in or None.
    """

    __slots__ = ("_attempts", "_last", "_span", "_started", "_token", "_trace")

    def __init__(self, tracer: Any, *, sdk_method: str, url: URL) -> None:  # noqa: ANN401 - an optional dependency's type
        """Start the span and make it current for the call.

        Args:
            tracer: from `get_tracer`.
            sdk_method: the client method's name.
            url: the endpoint's URL (its host, port and path are recorded; a call's path
                keeps its ``{call_id}`` placeholder, so spans group by operation).
        """
        self._trace = import_module("opentelemetry.trace")
        context = import_module("opentelemetry.context")
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
        self._span = tracer.start_span(
            name, kind=self._trace.SpanKind.CLIENT, attributes=attributes
        )
        self._token = context.attach(self._trace.set_span_in_context(self._span))
        self._started = time.monotonic()
        self._attempts = 0
        self._last: Attempt | None = None

    def attempt(self, attempt: Attempt) -> None:
        """Record one attempt as an event of the span."""
        self._attempts += 1
        self._last = attempt
        event: dict[str, Any] = {
            "realtime_sdk.attempt": attempt.number,
            "realtime_sdk.duration_s": attempt.elapsed,
        }
        if attempt.status_code is not None:
            event["http.response.status_code"] = attempt.status_code
        if attempt.request_id is not None:
            event["realtime_sdk.request_id"] = attempt.request_id
        if attempt.error is not None:
            event["error.type"] = attempt.error
        self._span.add_event("attempt", event)

    def end(self, error: BaseException | None) -> None:
        """Describe the call on the span, end it, and make the caller's span current again.

        Only the error's class is recorded: a traceback or message could carry what a key
        provider's exception said.
        """
        span = self._span
        try:
            span.set_attribute("realtime_sdk.attempts", self._attempts)
            last = self._last
            if last is not None:
                if last.status_code is not None:
                    span.set_attribute("http.response.status_code", last.status_code)
                if last.request_id is not None:
                    span.set_attribute("realtime_sdk.request_id", last.request_id)
            span.set_attribute("realtime_sdk.duration_s", time.monotonic() - self._started)
            if error is not None:
                span.set_attribute("error.type", type(error).__name__)
                if isinstance(error, APIStatusError):
                    span.set_attribute("http.response.status_code", error.status_code)
                status = self._trace.Status(self._trace.StatusCode.ERROR, type(error).__name__)
                span.set_status(status)
        finally:
            span.end()
            import_module("opentelemetry.context").detach(self._token)


__all__ = ["CallSpan", "get_tracer"]
