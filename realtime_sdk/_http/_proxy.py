"""Which proxy, if any, the client's requests go through.

The environment is read the way curl, urllib and httpx read it: ``https_proxy`` /
``http_proxy`` for the base URL's scheme, then ``all_proxy`` (lower-case names first, then
upper-case), and ``no_proxy`` lists hosts that are reached directly. Resolved once, when
the client is built, and handed to aiohttp with each request; aiohttp's own ``trust_env``
is never switched on, because it also reads ``~/.netrc`` and would send the credentials
found there.

Credentials in a proxy URL (``http://user:pass@proxy:3128``) become a
``Proxy-Authorization`` header and are removed from the URL, so the URL can be shown.
"""

import base64
import ipaddress
from collections.abc import Mapping
from typing import Final
from urllib.parse import unquote, urlsplit

import attrs

from realtime_sdk.errors import ConfigurationError

_SCHEMES: Final = frozenset({"http", "https"})


@attrs.frozen
class Proxy:
    """A proxy to send requests through.

    Attributes:
        url: the proxy's URL, without credentials.
        headers: ``Proxy-Authorization`` when the URL carried credentials; never shown.
    """

    url: str
    headers: Mapping[str, str] | None = attrs.field(default=None, repr=False)


def resolve_proxy(
    base_url: str, proxy: str | None, *, env_proxies: bool, environ: Mapping[str, str]
) -> Proxy | None:
    """The proxy for requests to ``base_url``.

    Args:
        base_url: the API root (already checked).
        proxy: a proxy URL given by the caller; it wins over the environment.
        env_proxies: whether the environment may name a proxy.
        environ: the environment to read.

    Returns:
        The proxy, or None to connect directly.

    Raises:
        ConfigurationError: the proxy URL (the argument or a variable, named in the
            message) is not an absolute http:// or https:// URL.
    """
    if proxy is not None:
        return parse_proxy(proxy, "proxy")
    if not env_proxies:
        return None
    parts = urlsplit(base_url)
    host = parts.hostname or ""
    for name in (f"{parts.scheme}_proxy", "all_proxy"):
        variable, value = _lookup(environ, name)
        if value:
            if _bypassed(host, parts.port, environ):
                return None
            return parse_proxy(value, variable)
    return None


def parse_proxy(value: object, what: str) -> Proxy:
    """Check a proxy URL and split its credentials off.

    A URL without a scheme (``proxy:3128``) means ``http://``, as curl reads it.

    Args:
        value: the proxy URL.
        what: where it came from (an argument or a variable name), for messages.

    Returns:
        The proxy.

    Raises:
        ConfigurationError: not an absolute http:// or https:// URL; the message never
            repeats the URL, which may hold a password.
    """
    if not isinstance(value, str):
        msg = f"{what}: expected a str proxy URL, got {type(value).__name__}"
        raise ConfigurationError(msg)
    text = value.strip()
    if "://" not in text:
        text = "http://" + text
    try:
        parts = urlsplit(text)
        port = parts.port
    except ValueError:
        parts, port = None, None
    if parts is None or parts.scheme not in _SCHEMES or not parts.hostname:
        msg = (
            f"{what}: expected an http:// or https:// proxy URL such as "
            "http://proxy.example:3128 (set env_proxies=False to ignore the environment)"
        )
        raise ConfigurationError(msg)
    host = parts.hostname if ":" not in parts.hostname else f"[{parts.hostname}]"
    url = f"{parts.scheme}://{host}" + (f":{port}" if port is not None else "")
    if parts.username is None:
        return Proxy(url)
    pair = f"{unquote(parts.username)}:{unquote(parts.password or '')}".encode()
    return Proxy(url, {"Proxy-Authorization": "Basic " + base64.b64encode(pair).decode("ascii")})


def _lookup(environ: Mapping[str, str], name: str) -> tuple[str, str | None]:
    value = environ.get(name)
    if value:
        return name, value
    upper = name.upper()
    if upper == "HTTP_PROXY" and "REQUEST_METHOD" in environ:
        # Under CGI, HTTP_PROXY comes from the client's "Proxy:" header (httpoxy).
        return upper, None
    return upper, environ.get(upper)


def _bypassed(host: str, port: int | None, environ: Mapping[str, str]) -> bool:
    # no_proxy as curl reads it: "*", host names (matching their subdomains too, with or
    # without a leading dot), IP addresses or networks, each optionally with ":port".
    _, no_proxy = _lookup(environ, "no_proxy")
    if not no_proxy:
        return False
    host = host.lower()
    return any(_matches(entry, host, port) for entry in no_proxy.split(","))


def _matches(entry: str, host: str, port: int | None) -> bool:
    entry = entry.strip().lower()
    if entry == "*":
        return True
    name, wanted_port = entry, None
    if entry.startswith("["):  # [::1]:8080
        name, _, rest = entry[1:].partition("]")
        wanted_port = rest[1:] or None
    elif entry.count(":") == 1:
        name, wanted_port = entry.split(":")
    if wanted_port is not None and wanted_port != str(port):
        return False
    name = name.lstrip(".")
    if not name:
        return False
    try:
        network = ipaddress.ip_network(name, strict=False)
    except ValueError:
        return host == name or host.endswith("." + name)
    try:
        return ipaddress.ip_address(host) in network
    except ValueError:
        return False


__all__ = ["Proxy", "parse_proxy", "resolve_proxy"]
