"""How a command fails: the exit status of each error class, and the config-file error."""

from typing import Final

from realtime_sdk import errors


class ConfigFileError(errors.RealtimeSDKError):
    """The --config file cannot be read or is not a JSON object: bad input, nothing sent."""


# One exit status per error class, so shell scripts can branch on what went wrong.
# The most specific class wins (they are checked in this order).
EXIT_CODES: Final[tuple[tuple[tuple[type[BaseException], ...], int, str], ...]] = (
    ((errors.ConfigurationError,), 2, "bad settings, e.g. no API key (or a usage error)"),
    (
        (errors.RequestValidationError, ConfigFileError),
        3,
        "bad input: an unusable --config or a request off the schema; nothing was sent",
    ),
    ((errors.BadRequestError,), 10, "400 bad request"),
    ((errors.AuthenticationError,), 11, "401 authentication failed"),
    ((errors.PermissionDeniedError,), 12, "403 permission denied"),
    ((errors.NotFoundError,), 13, "404 not found (or a retired endpoint)"),
    ((errors.ConflictError,), 14, "409 conflict"),
    ((errors.UnprocessableEntityError,), 15, "422 unprocessable"),
    ((errors.RateLimitError,), 16, "429 rate limited or out of quota"),
    ((errors.InternalServerError,), 17, "5xx server error"),
    ((errors.APIStatusError,), 18, "another non-2xx status (a redirect, say)"),
    ((errors.APITimeoutError,), 20, "timed out"),
    ((errors.APIConnectionError,), 21, "could not connect or the connection dropped"),
    ((errors.APIResponseValidationError,), 22, "a 2xx answer that is not the expected JSON"),
    ((errors.RealtimeSDKError,), 1, "any other SDK error"),
)
EXIT_INTERRUPTED: Final = 130


def exit_code(exc: BaseException) -> int:
    """The exit status for a failure: the first class in `EXIT_CODES` it is an instance of."""
    for classes, code, _ in EXIT_CODES:
        if isinstance(exc, classes):
            return code
    return 1
