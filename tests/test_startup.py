"""Start-up: importing the package creates no model class; a first call loads what it needs."""

import subprocess
import sys
import textwrap


def _run(code: str) -> str:
    done = subprocess.run(  # noqa: S603 - our own interpreter and a fixed script
        [sys.executable, "-c", textwrap.dedent(code)],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return done.stdout.strip()


def test_import_creates_no_model_class():
    """`from realtime_sdk import RealtimeClient` (and the sync client) import no model module."""
    out = _run(
        """
        import sys
        from realtime_sdk import RealtimeClient, SyncRealtimeClient
        print(sorted(m for m in sys.modules if m in {"realtime_sdk.models", "realtime_sdk.events"}))
        """
    )
    assert out == "[]"


def test_async_import_leaves_sync_and_azure_clients_out():
    """An async program imports neither the sync facade nor the Azure clients until named."""
    out = _run(
        """
        import sys
        import realtime_sdk
        from realtime_sdk import RealtimeClient
        lazy = {"realtime_sdk._sync_client", "realtime_sdk._client._azure", "realtime_sdk._sync_azure"}
        before = sorted(lazy & set(sys.modules))
        print(before, realtime_sdk.SyncAzureRealtimeClient.__name__, sorted(lazy & set(sys.modules)))
        """
    )
    assert out == (
        "[] SyncAzureRealtimeClient "
        "['realtime_sdk._client._azure', 'realtime_sdk._sync_azure', 'realtime_sdk._sync_client']"
    )


def test_models_load_on_first_use():
    """`realtime_sdk.models.X` still works, and an endpoint's classes resolve on first use."""
    out = _run(
        """
        import sys
        from realtime_sdk import _endpoints
        assert "realtime_sdk.models" not in sys.modules
        print(_endpoints.CLIENT_SECRETS.response.__name__, "realtime_sdk.models" in sys.modules)
        """
    )
    assert out == "RealtimeCreateClientSecretResponse True"
