"""AzureRealtimeClient: the same client for an Azure OpenAI resource.

Azure differs from the OpenAI API in three ways this client handles: the key goes in an
``api-key`` header (or a Microsoft Entra ID token as ``Authorization: Bearer``, from a
provider); the URL is the resource's (``https://{resource}.openai.azure.com``) with either
the v1 path (``/openai/v1/realtime/...``) or a deployment's path
(``/openai/deployments/{deployment}/realtime/...``); and a deployment path needs an
``api-version`` query parameter on every request.
"""

import os
from collections.abc import Mapping, Sequence
from typing import Final
from urllib.parse import parse_qsl, quote, urlsplit

import attrs

from realtime_sdk._calls import PATH_BREAKERS, segment_problem
from realtime_sdk._client._attempts import AttemptHook
from realtime_sdk._client._auth import APIKey, APIKeyProvider, Auth, is_provider
from realtime_sdk._client._config import (
    DEFAULT_CONNECT_TIMEOUT,
    DEFAULT_KEEPALIVE_TIMEOUT,
    DEFAULT_MAX_CONNECTIONS,
    DEFAULT_MAX_RETRIES,
    DEFAULT_TIMEOUT,
    refuse_credentials,
    resolve_config,
)
from realtime_sdk._client._pool import share
from realtime_sdk._client._ratelimit import RateLimitMode
from realtime_sdk._client._surface import RealtimeClient
from realtime_sdk._http._transport import ClientSession, TraceConfig
from realtime_sdk.errors import ConfigurationError

AZURE_API_KEY_ENV: Final = "AZURE_OPENAI_API_KEY"
AZURE_ENDPOINT_ENV: Final = "AZURE_OPENAI_ENDPOINT"
API_VERSION_ENV: Final = "OPENAI_API_VERSION"
API_VERSION_PARAM: Final = "api-version"

_DEPLOYMENT_BREAKERS: Final = PATH_BREAKERS | {"%"}
_DEPLOYMENT_EXPECTED: Final = (
    "a deployment name: a non-empty str without '/', '\\', '?', '#', '%', control "
    "characters or lone surrogates, and not '.' or '..'"
)


class AzureRealtimeClient(RealtimeClient):
    """Async client for minting Realtime ephemeral keys from an Azure OpenAI resource.

    Everything `RealtimeClient` does (pooling, retries, per-call options, `with_options`)
    works the same; only the address and the credentials differ. A client from
    `with_options` keeps the Azure form: its ``api_key`` goes where this client's
    credential goes.
    """

    def __init__(
        self,
        api_key: APIKey | None = None,
        *,
        azure_endpoint: str | None = None,
        azure_deployment: str | None = None,
        api_version: str | None = None,
        azure_ad_token_provider: APIKeyProvider | None = None,
        base_url: str | None = None,
        timeout: float = DEFAULT_TIMEOUT,
        connect_timeout: float = DEFAULT_CONNECT_TIMEOUT,
        total_timeout: float | None = None,
        max_retries: int = DEFAULT_MAX_RETRIES,
        max_connections: int = DEFAULT_MAX_CONNECTIONS,
        keepalive_timeout: float = DEFAULT_KEEPALIVE_TIMEOUT,
        default_headers: Mapping[str, str] | None = None,
        proxy: str | None = None,
        env_proxies: bool = True,
        session: ClientSession | None = None,
        rate_limit: RateLimitMode | None = None,
        trace_configs: Sequence[TraceConfig] | None = None,
        otel_tracing: bool = False,
        on_attempt: AttemptHook | None = None,
    ) -> None:
        """Resolve the Azure address and credential; no connection is made until the first call.

        Args:
            api_key: the resource's key (or a callable returning it), sent as ``api-key``;
                defaults to ``AZURE_OPENAI_API_KEY``. Leave it out when
                ``azure_ad_token_provider`` is given.
            azure_endpoint: the resource URL, ``https://{resource}.openai.azure.com``;
                defaults to ``AZURE_OPENAI_ENDPOINT``.
            azure_deployment: a deployment name: calls then go to
                ``/openai/deployments/{deployment}/...``, which needs ``api_version``.
                Without it they go to the v1 path, ``/openai/v1/...``.
            api_version: sent as the ``api-version`` query parameter on every call;
                defaults to ``OPENAI_API_VERSION``. Required with ``azure_deployment``;
                optional on the v1 path.
            azure_ad_token_provider: a callable (plain or async) returning a Microsoft
                Entra ID token, asked before every attempt and sent as
                ``Authorization: Bearer``.
            base_url: the full API root instead of ``azure_endpoint`` (and
                ``azure_deployment``), such as ``https://r.openai.azure.com/openai/v1``;
                it may carry ``?api-version=...``, which is then sent on every call.
            timeout: seconds one attempt may take.
            connect_timeout: seconds to open a new connection.
            total_timeout: seconds all attempts and pauses may take together.
            max_retries: how many times a failed attempt is retried.
            max_connections: the size of the connection pool.
            keepalive_timeout: seconds an idle pooled connection is kept open.
            default_headers: extra headers sent with every request.
            proxy: a proxy URL every request goes through.
            env_proxies: whether the proxy environment variables apply.
            session: an aiohttp session to use instead of the client's own.
            rate_limit: ``"wait"`` or ``"raise"`` to act on the ``x-ratelimit-*``
                headers (see `RealtimeClient`), or None.
            trace_configs: aiohttp ``TraceConfig`` hooks for the client's own session.
            otel_tracing: one OpenTelemetry span per call (see `RealtimeClient`).
            on_attempt: a callable given an `Attempt` once each attempt is over (see
                `RealtimeClient`).

        Raises:
            ConfigurationError: no endpoint or credential, both a key and a token
                provider, a deployment without an API version, or a setting out of range;
                the message names it (never the key).
        """
        environ = os.environ
        if azure_ad_token_provider is not None:
            if api_key is not None:
                msg = "pass api_key or azure_ad_token_provider, not both"
                raise ConfigurationError(msg)
            if not is_provider(azure_ad_token_provider):
                msg = "azure_ad_token_provider: expected a callable returning a token"
                raise ConfigurationError(msg)
            credential: APIKey = azure_ad_token_provider
            # An Entra ID token is a bearer, like OpenAI's key.
            auth = Auth(what="azure_ad_token_provider")
        else:
            from_env = environ.get(AZURE_API_KEY_ENV, "")
            if api_key is None and not from_env.strip():
                msg = (
                    f"no Azure credential: pass api_key=... or azure_ad_token_provider=..., "
                    f"or set the {AZURE_API_KEY_ENV} environment variable"
                )
                raise ConfigurationError(msg)
            credential = from_env if api_key is None else api_key
            auth = Auth(header="api-key", scheme="")
        if base_url is not None and (azure_endpoint is not None or azure_deployment is not None):
            msg = "pass base_url or azure_endpoint/azure_deployment, not both"
            raise ConfigurationError(msg)
        version = api_version if api_version is not None else environ.get(API_VERSION_ENV) or None
        root, query = _azure_base_url(
            base_url,
            azure_endpoint if azure_endpoint is not None else environ.get(AZURE_ENDPOINT_ENV),
            azure_deployment,
            version,
        )
        config = resolve_config(
            api_key=credential,
            auth=attrs.evolve(auth, query=query),
            base_url=root,
            # Azure takes no OpenAI organization or project: "" keeps the OPENAI_ORG_ID
            # and OPENAI_PROJECT_ID variables from adding those headers.
            organization="",
            project="",
            timeout=timeout,
            connect_timeout=connect_timeout,
            total_timeout=total_timeout,
            max_retries=max_retries,
            max_connections=max_connections,
            keepalive_timeout=keepalive_timeout,
            default_headers=default_headers,
            proxy=proxy,
            env_proxies=env_proxies,
            rate_limit=rate_limit,
            on_attempt=on_attempt,
            otel_tracing=otel_tracing,
        )
        # The same set-up as `RealtimeClient`'s constructor, with Azure's settings: the
        # differences are values (the `Auth`, the URL), not hooks the base class calls.
        self._set_up(config, share(config, session, trace_configs, proxy), owner=True)


def _azure_base_url(
    base_url: object,
    endpoint: object,
    deployment: object,
    api_version: object,
) -> tuple[str, tuple[tuple[str, str], ...]]:
    """The API root (no query) and the query parameters every call carries."""
    query: dict[str, str] = {}
    if base_url is not None:
        if not isinstance(base_url, str):
            msg = f"base_url: expected a str, got {type(base_url).__name__}"
            raise ConfigurationError(msg)
        refuse_credentials("base_url", base_url)
        root, _, raw_query = base_url.strip().partition("?")
        if "#" in raw_query:
            msg = "base_url: expected no fragment in the URL"
            raise ConfigurationError(msg)
        query.update(parse_qsl(raw_query, keep_blank_values=True))
    else:
        root = _resource_root(endpoint, deployment, api_version)
    if api_version is not None:
        if not isinstance(api_version, str) or not api_version.strip():
            msg = "api_version: expected a non-empty str such as '2025-04-01-preview'"
            raise ConfigurationError(msg)
        query[API_VERSION_PARAM] = api_version
    return root, tuple(query.items())


def _resource_root(endpoint: object, deployment: object, api_version: object) -> str:
    """The v1 or deployment API root under an Azure resource URL."""
    if not endpoint or not isinstance(endpoint, str):
        msg = (
            f"no Azure endpoint: pass azure_endpoint='https://<resource>.openai.azure.com' "
            f"(or base_url=...), or set the {AZURE_ENDPOINT_ENV} environment variable"
        )
        raise ConfigurationError(msg)
    refuse_credentials("azure_endpoint", endpoint)
    parts = urlsplit(endpoint.strip())
    if parts.query or parts.fragment:
        msg = "azure_endpoint: expected the resource URL alone, without a query or fragment"
        raise ConfigurationError(msg)
    resource = endpoint.strip().rstrip("/")
    if deployment is None:
        root = f"{resource}/openai/v1"
    else:
        segment = _deployment_segment(deployment)
        if api_version is None:
            msg = (
                "azure_deployment: a deployment path needs an API version: pass "
                f"api_version=... or set {API_VERSION_ENV}"
            )
            raise ConfigurationError(msg)
        root = f"{resource}/openai/deployments/{segment}"
    return root


def _deployment_segment(deployment: object) -> str:
    """A deployment name checked and percent-encoded as exactly one path segment.

    The rule is `call_id`'s, and ``%`` is refused too: a name holding an escape
    (``%2e%2e``, ``%2F``) is a mistake or an attempt to leave the segment, never a name.
    Nothing is stripped: a name with a control character (CR, LF, TAB) is refused, not
    quietly changed into another deployment's.
    """
    if not isinstance(deployment, str):
        msg = f"azure_deployment: expected {_DEPLOYMENT_EXPECTED}, got {type(deployment).__name__}"
        raise ConfigurationError(msg)
    problem = segment_problem(deployment, breakers=_DEPLOYMENT_BREAKERS)
    if problem is not None:
        msg = f"azure_deployment: expected {_DEPLOYMENT_EXPECTED}, got {problem}"
        raise ConfigurationError(msg)
    return quote(deployment, safe="")


__all__ = ["AzureRealtimeClient"]
