"""Who may call the fake, and where: bearer keys, ephemeral keys, and an Azure resource's
paths, ``api-version``, ``api-key`` header and deployments."""

import hmac
from collections.abc import Collection
from http import HTTPStatus
from typing import Final

from aiohttp import web

from realtime_sdk.testing._routes import API_PREFIX
from realtime_sdk.testing._wire import Answer, error_payload

# Azure OpenAI's two path forms: the v1 API, and one deployment's.
AZURE_V1: Final = "/openai/v1"
_AZURE_DEPLOYMENTS: Final = "/openai/deployments/"


class Access:
    """The fake's gates for one configuration: each check returns the refusal, or None."""

    def __init__(
        self,
        *,
        api_key: str | None,
        azure: bool,
        azure_api_version: str | None,
        azure_deployments: Collection[str] | None,
        azure_ad_tokens: Collection[str] | None,
    ) -> None:
        self.azure = azure
        self._api_key = api_key
        self._azure_api_version = azure_api_version
        self._azure_deployments = None if azure_deployments is None else set(azure_deployments)
        self._azure_ad_tokens = None if azure_ad_tokens is None else set(azure_ad_tokens)

    def __repr__(self) -> str:
        return f"<Access azure={self.azure}>"  # never the key

    def route(self, path: str) -> str:
        """The OpenAI-form path (``/v1/realtime/...``) a request path stands for."""
        if not self.azure:
            return path
        if path.startswith(AZURE_V1 + "/"):
            return API_PREFIX + path.removeprefix(AZURE_V1)
        prefix, _, rest = path.partition(_AZURE_DEPLOYMENTS)
        name, slash, tail = rest.partition("/")
        if prefix == "" and name and slash:
            return f"{API_PREFIX}/{tail}"
        return path  # no endpoint: answered with a 404

    def check(self, request: web.Request) -> Answer | None:
        """A REST request's credentials: Azure's gates, or the bearer API key."""
        return self.check_azure(request) if self.azure else self.check_bearer(request)

    def check_azure(self, request: web.Request) -> Answer | None:  # noqa: PLR0911 - one return per gate
        """Azure's gates: the deployment, the api-version, then the api-key or bearer token."""
        path = request.path
        version = request.query.get("api-version")
        if path.startswith(_AZURE_DEPLOYMENTS):
            name = path.removeprefix(_AZURE_DEPLOYMENTS).partition("/")[0]
            if self._azure_deployments is not None and name not in self._azure_deployments:
                message = f"The API deployment {name} does not exist."
                return Answer(
                    HTTPStatus.NOT_FOUND, error_payload(message, code="DeploymentNotFound")
                )
            if version is None:
                message = "Missing required query parameter: api-version."
                return Answer(
                    HTTPStatus.BAD_REQUEST, error_payload(message, code="missing_api_version")
                )
        if version is not None and self._azure_api_version not in {None, version}:
            message = f"API version {version} is not supported."
            return Answer(
                HTTPStatus.BAD_REQUEST, error_payload(message, code="unsupported_api_version")
            )
        key = request.headers.get("api-key", "").strip()
        scheme, _, token = request.headers.get("Authorization", "").partition(" ")
        token = token.strip()
        if key:
            if self._api_key is not None and not hmac.compare_digest(
                key.encode(), self._api_key.encode()
            ):
                message = "Access denied due to invalid subscription key."
                return Answer(HTTPStatus.UNAUTHORIZED, error_payload(message, code="401"))
            return None
        if scheme.lower() == "bearer" and token:
            if self._azure_ad_tokens is not None and token not in self._azure_ad_tokens:
                message = "The bearer token is not one this resource accepts."
                return Answer(HTTPStatus.UNAUTHORIZED, error_payload(message, code="invalid_token"))
            return None
        message = (
            "Missing credentials: send an 'api-key' header or 'Authorization: Bearer <token>'."
        )
        return Answer(HTTPStatus.UNAUTHORIZED, error_payload(message, code="401"))

    def check_bearer(self, request: web.Request, *, any_token: bool = False) -> Answer | None:
        """``Authorization: Bearer <key>``: the configured key, or any with ``any_token``."""
        scheme, _, token = request.headers.get("Authorization", "").partition(" ")
        token = token.strip()
        if scheme.lower() != "bearer" or not token:
            message = "No API key was sent; pass it as 'Authorization: Bearer <key>'."
            return Answer(HTTPStatus.UNAUTHORIZED, error_payload(message))
        if (
            not any_token
            and self._api_key is not None
            and not hmac.compare_digest(token.encode(), self._api_key.encode())
        ):
            message = "The API key sent is not the one this server accepts."
            return Answer(HTTPStatus.UNAUTHORIZED, error_payload(message, code="invalid_api_key"))
        return None

    def check_ephemeral_key(self, request: web.Request) -> Answer | None:
        """A bare SDP offer must come with an ephemeral key (``ek_...``), not the API key."""
        denied = self.check_bearer(request, any_token=True)
        if denied is not None:
            return denied
        token = request.headers["Authorization"].partition(" ")[2].strip()
        if not token.startswith("ek_"):
            message = (
                "An 'application/sdp' offer is authenticated with an ephemeral key (ek_...); "
                "with an API key, send a 'multipart/form-data' offer."
            )
            return Answer(HTTPStatus.UNAUTHORIZED, error_payload(message, code="invalid_api_key"))
        return None
