"""How requests are authorised (`Auth`), and key providers: a callable asked for the key per attempt.

A provider suits keys that rotate (read from a secret manager) and short-lived tokens
(Microsoft Entra ID for Azure). Its result is checked like a key given directly, and is
masked wherever a key would be; a provider that raises or returns no key stops the call
with `APIKeyProviderError`, whose ``__cause__`` is the provider's own exception.
"""

import inspect
import re
from collections.abc import Awaitable, Callable
from typing import Final, TypeAlias

import attrs

from realtime_sdk._secret import Secret
from realtime_sdk._wire._kinds import kind_of
from realtime_sdk.errors import APIKeyProviderError

APIKeyProvider: TypeAlias = Callable[[], str | Secret | Awaitable[str | Secret]]
"""A callable taking no arguments that returns the key (a str or `Secret`), or an awaitable of it."""

APIKey: TypeAlias = str | Secret | APIKeyProvider
"""What ``api_key`` may be: the key itself, or a provider of it."""

# Whitespace or control characters would split or smuggle a header.
_BAD_KEY_CHARS: Final = re.compile(r"[\x00-\x20\x7f]")


@attrs.frozen(kw_only=True)
class Auth:
    """How a request is authorised: a value, the same for a client and its children.

    OpenAI sends ``Authorization: Bearer <key>``; an Azure resource takes its key as
    ``api-key: <key>`` (or an Entra ID token as a bearer) and wants ``api-version`` in the
    query of every request. Each is one `Auth`, built by its constructor; the client reads
    it and has no other rule for either.

    Attributes:
        header: the header the credential travels in.
        scheme: what goes before the credential in that header (``"Bearer "`` or ``""``).
        key: the credential itself, or None when `provider` gives one per attempt; never
            shown in ``repr``.
        provider: a callable asked for the credential before each attempt, or None.
        what: the setting named in messages about the credential (``api_key``,
            ``azure_ad_token_provider``).
        query: query parameters every request carries (Azure's ``api-version``).
    """

    header: str = "Authorization"
    scheme: str = "Bearer "
    key: Secret | None = attrs.field(default=None, repr=False)
    provider: APIKeyProvider | None = attrs.field(default=None, repr=False)
    what: str = "api_key"
    query: tuple[tuple[str, str], ...] = ()

    @property
    def in_authorization_header(self) -> bool:
        """Whether the credential travels in ``Authorization``.

        A call that brings its own credential (an ephemeral key) sends it there as a
        bearer, replacing this one; a credential in any other header must be left out of
        such a call, so it cannot be a default header of the session.
        """
        return self.header.lower() == "authorization"

    def with_credential(self, credential: Secret | APIKeyProvider) -> "Auth":
        """The same rule with another key (or provider of one), as `with_options` gives it."""
        if isinstance(credential, Secret):
            return attrs.evolve(self, key=credential, provider=None)
        return attrs.evolve(self, key=None, provider=credential)

    def credential_header(self, key: Secret) -> dict[str, str]:
        """The header carrying ``key``; pass it on without keeping it in a variable."""
        return {self.header: self.scheme + key.reveal()}


OPENAI_AUTH: Final = Auth()
"""The OpenAI API's rule: ``Authorization: Bearer <key>``, no query (the key comes later)."""


def is_provider(value: object) -> bool:
    """Whether ``value`` is a key provider rather than a key."""
    return callable(value) and not isinstance(value, str | Secret)


async def provide_key(provider: APIKeyProvider, what: str = "api_key") -> Secret:
    """Ask a provider for the key and check what it returned.

    The key is held as a `Secret` from the moment it arrives, so that no frame's locals
    show it when a check fails (error trackers and ``capture_locals`` render them).

    Args:
        provider: the callable.
        what: the setting's name, for messages (``api_key``, ``azure_ad_token_provider``).

    Returns:
        The key, as a `Secret`.

    Raises:
        APIKeyProviderError: the provider raised (chained as the cause), or returned
            something other than a non-empty str or Secret without whitespace.
    """
    try:
        result = _sealed(provider())
        if inspect.isawaitable(result):
            result = _sealed(await result)
    except Exception as exc:
        msg = f"{what}: the key provider raised {type(exc).__name__} (see the cause); the call was not sent"
        raise APIKeyProviderError(msg) from exc
    return checked_provided(result, what)


def _sealed(result: object) -> object:
    """A str result as a `Secret`; anything else as it is (an awaitable, or a misfit)."""
    return Secret(result) if isinstance(result, str) else result


def checked_provided(result: object, what: str = "api_key") -> Secret:
    """A provider's result as a `Secret`, or `APIKeyProviderError` naming what was wrong.

    Raises:
        APIKeyProviderError: not a str or Secret, empty, or with whitespace or control
            characters (the message never shows the value).
    """
    if isinstance(result, str):
        result = Secret(result)
    if not isinstance(result, Secret):
        msg = f"{what}: the key provider returned {kind_of(result)}; expected a non-empty str or Secret"
        raise APIKeyProviderError(msg)
    # Read through the Secret each time: the plain key is never bound to a name here.
    if not result.reveal():
        msg = f"{what}: the key provider returned an empty key"
        raise APIKeyProviderError(msg)
    if _BAD_KEY_CHARS.search(result.reveal()):
        msg = f"{what}: the key provider returned a key with whitespace or control characters"
        raise APIKeyProviderError(msg)
    return result


__all__ = [
    "OPENAI_AUTH",
    "APIKey",
    "APIKeyProvider",
    "Auth",
    "checked_provided",
    "is_provider",
    "provide_key",
]
