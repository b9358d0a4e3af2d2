"""ClientConfig: every client setting, resolved from arguments and the environment, checked once."""

import ipaddress
import math
import os
import re
from collections.abc import Callable, Iterable, Mapping
from typing import Any, Final
from urllib.parse import urlsplit

import attrs

from realtime_sdk._client._attempts import AttemptHook, check_hook
from realtime_sdk._client._auth import OPENAI_AUTH, APIKey, Auth, is_provider
from realtime_sdk._client._ratelimit import RATE_LIMIT_MODES, RateLimitMode
from realtime_sdk._client._retry import DEFAULT_MAX_RETRIES, RetryPolicy
from realtime_sdk._http._headers import merge_headers
from realtime_sdk._http._proxy import Proxy, resolve_proxy
from realtime_sdk._http._transport import ACCEPT_ENCODING, USER_AGENT, ClientSession, TraceConfig
from realtime_sdk._secret import Secret
from realtime_sdk._unset import UNSET
from realtime_sdk._warn import warn_caller
from realtime_sdk.errors import ConfigurationError, InsecureTransportWarning

DEFAULT_BASE_URL: Final = "https://api.openai.com/v1/"
DEFAULT_TIMEOUT: Final = 60.0
DEFAULT_CONNECT_TIMEOUT: Final = 10.0
DEFAULT_MAX_CONNECTIONS: Final = 100
# aiohttp's own default; a server that drops idle connections sooner is handled by a retry.
DEFAULT_KEEPALIVE_TIMEOUT: Final = 15.0
# The three endpoints answer with a few kilobytes; anything near this is not their answer.
DEFAULT_MAX_RESPONSE_BYTES: Final = 4 * 1024 * 1024

API_KEY_ENV: Final = "OPENAI_API_KEY"
BASE_URL_ENV: Final = "OPENAI_BASE_URL"
ORGANIZATION_ENV: Final = "OPENAI_ORG_ID"
PROJECT_ENV: Final = "OPENAI_PROJECT_ID"

# RFC 9110 token characters for header names; values may not hold control characters
# (a newline would let a value smuggle in a second header).
# (Matched with fullmatch: "$" would also match before a final newline.)
_HEADER_NAME: Final = re.compile(r"[!#$%&'*+.^_`|~0-9A-Za-z-]+")
# A lone surrogate has no UTF-8 form: aiohttp would send it as a stray byte.
_BAD_VALUE_CHARS: Final = re.compile(r"[\x00-\x08\x0a-\x1f\x7f\ud800-\udfff]")
# Headers that frame the message or belong to one hop: the transport sets them from the
# body it sends, and a caller's value would cut the body short, stall the server or
# smuggle a second request (RFC 9110 section 7.6.1, RFC 9112 section 6).
_FRAMING_HEADERS: Final = frozenset(
    {"content-length", "transfer-encoding", "connection", "host", "upgrade", "te"}
    | {"trailer", "keep-alive"}
)


def _float(value: object) -> object:
    # An int becomes the float it stands for; anything else is left for the check to name.
    return float(value) if isinstance(value, int) and not isinstance(value, bool) else value


def _seconds(_instance: object, field: "attrs.Attribute[Any]", value: object) -> None:
    check_seconds(field.name, value)


def _seconds_or_zero(_instance: object, field: "attrs.Attribute[Any]", value: object) -> None:
    check_seconds(field.name, value, allow_zero=True)


def _optional_seconds(_instance: object, field: "attrs.Attribute[Any]", value: object) -> None:
    if value is not None:
        check_seconds(field.name, value)


def _count(minimum: int) -> "Callable[[object, attrs.Attribute[Any], object], None]":
    def check(_instance: object, field: "attrs.Attribute[Any]", value: object) -> None:
        _check_count(field.name, value, minimum=minimum)

    return check


def _text(_instance: object, field: "attrs.Attribute[Any]", value: object) -> None:
    _optional_text(field.name, value, {}, "")


def _auth(_instance: object, _field: "attrs.Attribute[Any]", value: object) -> None:
    if not isinstance(value, Auth):
        msg = f"auth: expected an Auth, got {type(value).__name__}"
        raise ConfigurationError(msg)
    if value.key is not None:
        _resolve_key(value.key, {})
    elif not is_provider(value.provider):
        msg = f"{value.what}: expected a key, or a callable returning one"
        raise ConfigurationError(msg)


def _rate_limit(_instance: object, _field: "attrs.Attribute[Any]", value: object) -> None:
    _check_rate_limit(value)


def _flag(_instance: object, field: "attrs.Attribute[Any]", value: object) -> None:
    _check_flag(field.name, value)


def _hook(_instance: object, _field: "attrs.Attribute[Any]", value: object) -> None:
    check_hook(value)


def _headers(value: object) -> tuple[tuple[str, str], ...]:
    # A derived config hands its checked pairs back in: checked again, as any value is.
    pairs = dict(value) if isinstance(value, tuple) else value
    return checked_headers(pairs)  # type: ignore[arg-type] # checked_headers checks the type


def _base_url(value: object) -> str:
    return normalise_base_url(value, warn=False)


def _retry_policy(config: "ClientConfig") -> RetryPolicy:
    # Made before the validators run: the count is checked here first.
    _check_count("max_retries", config.max_retries, minimum=0)
    return RetryPolicy(max_retries=config.max_retries)


@attrs.frozen(kw_only=True)
class ClientConfig:
    """Every setting of one `RealtimeClient`: its default and its check, declared once here.

    Building one (or deriving one with ``attrs.evolve``) checks every value: a bad one
    raises `ConfigurationError` naming the setting. The constructors resolve what the
    environment supplies (`resolve_config`) and pass the rest through; `with_options`
    derives a child's settings from its parent's (`derive_config`).

    Attributes:
        auth: how requests are authorised, with the key or its provider (see `Auth`);
            never shows the key in ``repr``.
        base_url: the API root, always ending in ``/`` so relative paths join under it.
        organization: sent as ``OpenAI-Organization`` when set.
        project: sent as ``OpenAI-Project`` when set.
        timeout: seconds one attempt may take, from connecting to the last body byte.
        connect_timeout: seconds to open a new connection (waiting for a pooled one
            counts against `timeout`).
        total_timeout: seconds all attempts plus the pauses between them may take; None
            leaves only the per-attempt limit.
        max_retries: retries after the first attempt.
        max_connections: the size of the connection pool.
        keepalive_timeout: seconds an idle pooled connection is kept.
        max_response_bytes: the largest response body read; a bigger one is an error.
        default_headers: extra headers sent with every request.
        proxy: the proxy requests go through (from the ``proxy`` argument or the
            environment), or None to connect directly.
        rate_limit: what to do once an answer said no requests are left (``"wait"`` or
            ``"raise"``), or None to ignore the ``x-ratelimit-*`` headers.
        on_attempt: called with an `Attempt` once each attempt is over, or None.
        otel_tracing: whether each call makes an OpenTelemetry span.
        retry: the retry policy, made from `max_retries` (not a setting of its own).
    """

    auth: Auth = attrs.field(validator=_auth)
    base_url: str = attrs.field(default=DEFAULT_BASE_URL, converter=_base_url)
    organization: str | None = attrs.field(default=None, validator=_text)
    project: str | None = attrs.field(default=None, validator=_text)
    timeout: float = attrs.field(default=DEFAULT_TIMEOUT, converter=_float, validator=_seconds)
    connect_timeout: float = attrs.field(
        default=DEFAULT_CONNECT_TIMEOUT, converter=_float, validator=_seconds
    )
    total_timeout: float | None = attrs.field(
        default=None, converter=_float, validator=_optional_seconds
    )
    max_retries: int = attrs.field(default=DEFAULT_MAX_RETRIES, validator=_count(0))
    max_connections: int = attrs.field(default=DEFAULT_MAX_CONNECTIONS, validator=_count(1))
    keepalive_timeout: float = attrs.field(
        default=DEFAULT_KEEPALIVE_TIMEOUT, converter=_float, validator=_seconds_or_zero
    )
    max_response_bytes: int = attrs.field(default=DEFAULT_MAX_RESPONSE_BYTES, validator=_count(1))
    default_headers: tuple[tuple[str, str], ...] = attrs.field(default=(), converter=_headers)
    proxy: Proxy | None = None
    rate_limit: RateLimitMode | None = attrs.field(default=None, validator=_rate_limit)
    on_attempt: AttemptHook | None = attrs.field(default=None, repr=False, validator=_hook)
    otel_tracing: bool = attrs.field(default=False, validator=_flag)
    retry: RetryPolicy = attrs.field(
        init=False, default=attrs.Factory(_retry_policy, takes_self=True)
    )


def resolve_config(
    *,
    api_key: APIKey | None,
    base_url: str | None,
    organization: str | None,
    project: str | None,
    proxy: str | None,
    env_proxies: bool,
    auth: Auth = OPENAI_AUTH,
    env: Mapping[str, str] | None = None,
    **settings: Any,  # noqa: ANN401 - each is checked by ClientConfig
) -> ClientConfig:
    """A constructor's arguments as a checked `ClientConfig`, unset ones read from the environment.

    Args:
        api_key: the key or a provider of it, or None to read ``OPENAI_API_KEY``.
        base_url: the API root, or None to read ``OPENAI_BASE_URL``, then use the
            public endpoint.
        organization: or None to read ``OPENAI_ORG_ID``.
        project: or None to read ``OPENAI_PROJECT_ID``.
        proxy: a proxy URL; wins over the environment.
        env_proxies: whether ``https_proxy``/``http_proxy``/``all_proxy``/``no_proxy``
            may choose a proxy (see `_proxy`).
        auth: how requests are authorised; ``api_key`` is put in it.
        env: the environment to read; defaults to ``os.environ``.
        settings: the other settings, passed to `ClientConfig` as they are.

    Returns:
        The resolved configuration.

    Raises:
        ConfigurationError: a setting is missing or out of range; the message names it
            (and never shows the key).
    """
    environ = os.environ if env is None else env
    provider = api_key if is_provider(api_key) else None
    key = None if provider is not None else _resolve_key(api_key, environ)
    url = normalise_base_url(base_url or environ.get(BASE_URL_ENV) or DEFAULT_BASE_URL)
    _check_flag("env_proxies", env_proxies)
    return ClientConfig(
        auth=auth.with_credential(key if provider is None else provider),  # type: ignore[arg-type] # is_provider checked it
        base_url=url,
        organization=_optional_text("organization", organization, environ, ORGANIZATION_ENV),
        project=_optional_text("project", project, environ, PROJECT_ENV),
        proxy=resolve_proxy(url, proxy, env_proxies=env_proxies, environ=environ),
        **settings,
    )


def derive_config(config: ClientConfig, **changes: object) -> ClientConfig:
    """A copy of ``config`` with the settings not `UNSET` changed, checked as any config is.

    Nothing is read from the environment: what is not given stays as it is. Headers in
    ``default_headers`` are added to (or replace) the ones already there; ``api_key`` may
    be a key or a provider of it.

    Returns:
        The new configuration.

    Raises:
        ConfigurationError: a changed setting is out of range; the message names it.
    """
    given = {name: value for name, value in changes.items() if value is not UNSET}
    if "api_key" in given:
        # The new key goes where this config's credential goes (Azure's api-key, say).
        api_key = given.pop("api_key")
        credential = api_key if is_provider(api_key) else _resolve_key(api_key, {})
        given["auth"] = config.auth.with_credential(credential)  # type: ignore[arg-type]
    if "base_url" in given:
        given["base_url"] = normalise_base_url(given["base_url"])  # warns as the constructor does
    if "default_headers" in given:
        added = checked_headers(given["default_headers"])  # type: ignore[arg-type]
        given["default_headers"] = tuple(merge_headers(dict(config.default_headers), added).items())
    return attrs.evolve(config, **given)  # type: ignore[arg-type] # ClientConfig checks each


def normalise_base_url(url: object, *, warn: bool = True) -> str:
    """Check a base URL and make it end in ``/``.

    The trailing slash matters: URL joining per RFC 3986 would otherwise replace the last
    path segment (``.../v1`` + ``realtime/sessions`` gives ``.../realtime/sessions``).
    A plain-``http`` URL to a host other than loopback draws an `InsecureTransportWarning`.

    Args:
        url: an absolute ``http`` or ``https`` URL (anything else is rejected).
        warn: whether plain ``http`` draws the warning (off when a checked URL is checked
            again, as `ClientConfig` does for a derived config).

    Returns:
        The URL with exactly one trailing slash.

    Raises:
        ConfigurationError: the URL is not absolute http(s), or has credentials, a query
            or a fragment (a message never quotes a URL holding credentials).
    """
    if not isinstance(url, str):
        msg = f"base_url: expected a str, got {type(url).__name__}"
        raise ConfigurationError(msg)
    text = url.strip()
    refuse_credentials("base_url", text)
    try:
        parts = urlsplit(text)
        hostname, _ = parts.hostname, parts.port  # .port checks the range
    except ValueError as exc:
        # A port out of range or not a number, a broken [IPv6] literal.
        msg = f"base_url: {exc} in {text!r}"
        raise ConfigurationError(msg) from None
    if parts.scheme not in {"http", "https"} or not hostname:
        msg = f"base_url: expected an absolute http:// or https:// URL, got {text!r}"
        raise ConfigurationError(msg)
    # An empty query ("...v1?") or fragment ("...v1#") is still one: urlsplit drops them.
    if "?" in text or "#" in text:
        msg = "base_url: expected no query or fragment in the URL"
        raise ConfigurationError(msg)
    if warn and parts.scheme == "http" and not _is_loopback(hostname):
        warn_caller(
            f"base_url uses plain http:// to {hostname}: the API key would travel "
            "unencrypted; use https://",
            InsecureTransportWarning,
        )
    return text.rstrip("/") + "/"


def refuse_credentials(name: str, url: str) -> None:
    """Refuse a URL setting holding ``@`` before any message can quote it.

    ``user:password@`` has no place in an API root, and no parser can say where it ends
    once the password holds ``/``, ``?`` or ``#`` (``https://u:p/w@host`` reads as host
    ``u``, port ``p``): so any ``@`` is refused, and the URL is never repeated back.

    Args:
        name: the setting's name, for the message.
        url: its value.

    Raises:
        ConfigurationError: the URL holds ``@``; the message does not quote it.
    """
    if "@" in url:
        msg = f"{name}: expected a URL without '@' (credentials do not belong in it)"
        raise ConfigurationError(msg)


def _resolve_key(api_key: object, environ: Mapping[str, str]) -> Secret:
    if api_key is None:
        from_env = environ.get(API_KEY_ENV, "")
        if not from_env.strip():  # an empty or blank variable is no key at all
            msg = f"no API key: pass api_key=... or set the {API_KEY_ENV} environment variable"
            raise ConfigurationError(msg)
        api_key = from_env
    if isinstance(api_key, str):
        api_key = Secret(api_key)
    if not isinstance(api_key, Secret):
        msg = (
            "api_key: expected a str, a Secret or a callable returning one, got "
            f"{type(api_key).__name__}"
        )
        raise ConfigurationError(msg)
    value = api_key.reveal()
    if not value.strip():
        # Only a key this function read itself can be blamed on the variable (a blank one
        # is caught above): an Azure client, say, hands over a key of its own variable.
        msg = "api_key: expected a non-empty key"
        raise ConfigurationError(msg)
    if value != value.strip() or _BAD_VALUE_CHARS.search(value) or "\t" in value:
        # The message describes the problem only; echoing the key would leak it.
        msg = "api_key: expected no whitespace or control characters in the key"
        raise ConfigurationError(msg)
    return api_key


def _optional_text(
    name: str, value: object, environ: Mapping[str, str], variable: str
) -> str | None:
    if value is None:
        value = environ.get(variable) or None
    if value is None:
        return None
    if not isinstance(value, str) or _BAD_VALUE_CHARS.search(value):
        msg = f"{name}: expected a str without control characters or lone surrogates"
        raise ConfigurationError(msg)
    return value


def check_seconds(name: str, value: object, *, allow_zero: bool = False) -> None:
    """Check a duration setting.

    Args:
        name: the setting's name, for the message.
        value: the value given.
        allow_zero: whether 0 is acceptable.

    Raises:
        ConfigurationError: not a finite number above (or at, with allow_zero) zero.
    """
    ok = (
        not isinstance(value, bool)
        and isinstance(value, int | float)
        and math.isfinite(value)
        and (value >= 0 if allow_zero else value > 0)
    )
    if not ok:
        bound = ">= 0" if allow_zero else "> 0"
        msg = f"{name}: expected a finite number of seconds {bound}, got {value!r}"
        raise ConfigurationError(msg)


def _check_count(name: str, value: object, *, minimum: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        msg = f"{name}: expected an int >= {minimum}, got {value!r}"
        raise ConfigurationError(msg)


def _check_rate_limit(value: object) -> None:
    if value is not None and value not in RATE_LIMIT_MODES:
        msg = f"rate_limit: expected 'wait', 'raise' or None, got {value!r}"
        raise ConfigurationError(msg)


def _check_flag(name: str, value: object) -> None:
    if not isinstance(value, bool):
        msg = f"{name}: expected True or False, got {value!r}"
        raise ConfigurationError(msg)


def checked_headers(
    headers: Mapping[str, str] | None, *, what: str = "default_headers"
) -> tuple[tuple[str, str], ...]:
    """Check header names and values, so a bad one fails before anything is sent.

    Args:
        headers: the headers to check, or None.
        what: the argument name used in error messages.

    Returns:
        The headers as (name, value) pairs.

    Raises:
        ConfigurationError: ``headers`` is not a mapping, a name is not an HTTP token, is
            a framing or hop-by-hop header
            (``Content-Length``, ``Transfer-Encoding``, ``Connection``, ``Host``,
            ``Upgrade``, ``TE``, ``Trailer``, ``Keep-Alive``, ``Proxy-*``), or a value
            holds control characters.
    """
    if headers is None:
        return ()
    given: object = headers  # untyped callers pass anything
    if not isinstance(given, Mapping):
        kind = type(given).__name__
        msg = f"{what}: expected a mapping of header names to str values, got {kind}"
        raise ConfigurationError(msg)
    checked: list[tuple[str, str]] = []
    # Typed callers pass str pairs; untyped ones may not, hence the widened view.
    pairs: list[tuple[object, object]] = list(headers.items())
    for name, value in pairs:
        if not isinstance(name, str) or not _HEADER_NAME.fullmatch(name):
            msg = f"{what}: {name!r} is not a valid header name"
            raise ConfigurationError(msg)
        lowered = name.lower()
        if lowered in _FRAMING_HEADERS or lowered.startswith("proxy-"):
            msg = (
                f"{what}: {name!r} cannot be set: the transport writes the framing and "
                "per-connection headers itself (use proxy= for proxy credentials)"
            )
            raise ConfigurationError(msg)
        if not isinstance(value, str) or _BAD_VALUE_CHARS.search(value):
            # The value is not echoed: it may be a credential.
            msg = f"{what}[{name!r}]: expected a str without control characters or lone surrogates"
            raise ConfigurationError(msg)
        checked.append((str(name), value))
    return tuple(checked)


def check_session(session: object) -> None:
    """Check the ``session`` argument: None, or an ``aiohttp.ClientSession``.

    Raises:
        ConfigurationError: anything else, named by its type.
    """
    if session is not None and not isinstance(session, ClientSession):
        msg = f"session: expected an aiohttp.ClientSession or None, got {type(session).__name__}"
        raise ConfigurationError(msg)


def checked_trace_configs(trace_configs: object) -> tuple[TraceConfig, ...] | None:
    """Check the ``trace_configs`` argument before any session is made from it.

    Returns:
        The hooks as a tuple, or None when none were given.

    Raises:
        ConfigurationError: not a sequence of ``aiohttp.TraceConfig``; the message names
            the first misfit by its position and type.
    """
    if trace_configs is None:
        return None
    expected = "a sequence of aiohttp.TraceConfig"
    if not isinstance(trace_configs, Iterable) or isinstance(
        trace_configs, TraceConfig | str | bytes | Mapping
    ):
        msg = f"trace_configs: expected {expected}, got {type(trace_configs).__name__}"
        raise ConfigurationError(msg)
    hooks: list[TraceConfig] = []
    for index, hook in enumerate(trace_configs):
        if not isinstance(hook, TraceConfig):
            kind = type(hook).__name__
            msg = f"trace_configs[{index}]: expected an aiohttp.TraceConfig, got {kind}"
            raise ConfigurationError(msg)
        hooks.append(hook)
    return tuple(hooks)


def _is_loopback(host: str) -> bool:
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def request_headers(config: ClientConfig) -> dict[str, str]:
    """The headers every request of a client with these settings carries, the key among them."""
    headers: dict[str, str] = {}
    if config.auth.key is not None:
        headers |= config.auth.credential_header(config.auth.key)
    headers |= {
        "Content-Type": "application/json",
        "Accept": "application/json",
        # Only what `_body` decodes: the size limit must bound the decoded bytes.
        "Accept-Encoding": ACCEPT_ENCODING,
        "User-Agent": USER_AGENT,
    }
    if config.organization:
        headers["OpenAI-Organization"] = config.organization
    if config.project:
        headers["OpenAI-Project"] = config.project
    # By name in any letter case: `authorization` must replace `Authorization`, not
    # travel beside it.
    return merge_headers(headers, config.default_headers)


__all__ = [
    "DEFAULT_BASE_URL",
    "DEFAULT_CONNECT_TIMEOUT",
    "DEFAULT_KEEPALIVE_TIMEOUT",
    "DEFAULT_MAX_CONNECTIONS",
    "DEFAULT_MAX_RESPONSE_BYTES",
    "DEFAULT_MAX_RETRIES",
    "DEFAULT_TIMEOUT",
    "ClientConfig",
    "check_seconds",
    "check_session",
    "checked_headers",
    "checked_trace_configs",
    "derive_config",
    "normalise_base_url",
    "refuse_credentials",
    "request_headers",
    "resolve_config",
]
