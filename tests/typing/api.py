"""Type-checked by mypy --strict in CI, never executed: the public API's types as users see them."""

from typing import assert_type

from realtime_sdk import UNSET, APIStatusError, RequestValidationError, Secret, Unset


def unset_narrows(value: int | Unset) -> int:
    if value is UNSET:
        return 0
    assert_type(value, int)
    return value


def secret_reveals_str(secret: Secret) -> str:
    return secret.reveal()


def error_attributes(exc: APIStatusError, bad: RequestValidationError) -> tuple[int, str | None]:
    paths = [error.path for error in bad.errors]
    assert_type(paths, list[str])
    return exc.status_code, exc.request_id
