"""The repr of every generated model: set fields only, unknown keys by name, and it never raises."""

from typing import Any, cast

import attrs
from attrs import AttrsInstance

from realtime_sdk._secret import Secret
from realtime_sdk._unset import UNSET


def model_repr(self: object) -> str:
    """A repr listing only the fields that are set; unknown keys are shown by name only.

    A repr is called from tracebacks, debuggers and log lines, sometimes on an object whose
    construction failed halfway: a missing slot or an odd value is shown as such instead
    of raising from inside the code that is reporting another error.
    """
    cls = type(self)
    secrets: tuple[str, ...] = getattr(cls, "_secret_fields", ())
    parts: list[str] = []
    for field in attrs.fields(cast("type[AttrsInstance]", cls)):
        try:
            value = getattr(self, field.name)
        except AttributeError:
            parts.append(f"{field.name}=<missing>")
            continue
        if value is UNSET:
            continue
        if field.name == "extra_fields":
            if value:
                parts.append(f"extra_fields=<{_key_names(value)}>")
            continue
        if field.name in secrets and type(value) is str:
            value = Secret(value)  # a key put in by hand as a plain str: shown masked too
        parts.append(f"{field.name}={_safe_repr(value)}")
    return f"{cls.__name__}({', '.join(parts)})"


def _key_names(value: Any) -> str:  # noqa: ANN401 - whatever the field holds
    try:
        return ", ".join(sorted(str(key) for key in value))
    except Exception:  # noqa: BLE001 - a repr must not raise
        return f"{type(value).__name__} that cannot be shown"


def _safe_repr(value: Any) -> str:  # noqa: ANN401 - any field value
    try:
        return repr(value)
    except Exception:  # noqa: BLE001 - a repr must not raise; say what could not be shown
        return f"<{type(value).__name__} that cannot be shown>"


__all__ = ["model_repr"]
