"""What a user's own code meets first: its namespace, a missing key, warnings at its line."""

import importlib.metadata
import inspect
import subprocess
import sys
import warnings

import pytest

import realtime_sdk
from realtime_sdk import ConfigurationError, RealtimeClient, SyncRealtimeClient
from realtime_sdk.errors import InsecureTransportWarning

NO_KEY = "no API key: pass api_key=... or set the OPENAI_API_KEY environment variable"


def test_the_package_namespace_holds_no_helper_imports() -> None:
    """`realtime_sdk.version` is not importlib's function; the public names are __all__.

    `dir()`, not `vars()`: the clients loaded on first use are public names whether or not
    an earlier test has loaded them.
    """
    assert not hasattr(realtime_sdk, "version")
    assert not hasattr(realtime_sdk, "PackageNotFoundError")
    public = {name for name in dir(realtime_sdk) if not name.startswith("_")}
    submodules = {name for name in public if inspect.ismodule(getattr(realtime_sdk, name))}
    assert public - submodules == set(realtime_sdk.__all__) - {"__version__"}


@pytest.mark.parametrize("value", ["", "  ", "\t\n"], ids=["empty", "blank", "whitespace"])
@pytest.mark.parametrize("client_class", [RealtimeClient, SyncRealtimeClient])
def test_an_empty_or_blank_key_variable_counts_as_no_key(
    monkeypatch: pytest.MonkeyPatch, client_class: type, value: str
) -> None:
    """`OPENAI_API_KEY=` and a blank one both get the message of a missing variable."""
    monkeypatch.setenv("OPENAI_API_KEY", value)
    with pytest.raises(ConfigurationError) as caught:
        client_class(base_url="http://127.0.0.1:9/v1")
    assert str(caught.value) == NO_KEY


def test_the_message_is_the_same_without_the_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    """No variable at all gives the very message an empty one does."""
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    with pytest.raises(ConfigurationError) as caught:
        RealtimeClient()
    assert str(caught.value) == NO_KEY


@pytest.mark.parametrize("client_class", [RealtimeClient, SyncRealtimeClient])
def test_the_insecure_url_warning_points_at_the_callers_line(client_class: type) -> None:
    """The warning names this file and the line that built the client, not an SDK frame."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        line = inspect.currentframe().f_lineno + 1  # type: ignore[union-attr]
        client = client_class("sk-test", base_url="http://api.example.com/v1")
    if isinstance(client, SyncRealtimeClient):
        client.close()
    [warning] = [w for w in caught if issubclass(w.category, InsecureTransportWarning)]
    assert warning.filename == __file__
    assert warning.lineno == line


def test_version_is_the_installed_distributions() -> None:
    """`__version__` (a literal, read without importlib.metadata) matches the wheel's metadata."""
    assert realtime_sdk.__version__ == importlib.metadata.version("realtime-control-sdk")


def test_importing_the_package_does_not_import_importlib_metadata() -> None:
    """A fresh `import realtime_sdk` leaves importlib.metadata unloaded: it costs start-up."""
    code = "import sys, realtime_sdk; print('importlib.metadata' in sys.modules)"
    out = subprocess.run(  # noqa: S603 - our own interpreter and snippet
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == "False"


def test_every_operation_in_the_table_is_a_method_of_both_clients() -> None:
    """The operation table, the async client and the generated facade name the same calls."""
    from realtime_sdk._spec import operations  # noqa: PLC0415 - the table under test

    table = {operation.method for operation in operations.OPERATIONS}
    verbs = ("create_", "accept_", "refer_", "reject_", "hangup_")
    for client in (RealtimeClient, SyncRealtimeClient):
        methods = {
            name
            for name in dir(client)
            if name.startswith(verbs) and not name.endswith("_with_response")
        }
        assert methods == table, client.__name__
