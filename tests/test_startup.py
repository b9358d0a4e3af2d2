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
        models = {"realtime_sdk.models", "realtime_sdk.events"}
        print(sorted(m for m in sys.modules if m in models or m.startswith("realtime_sdk._models.")))
        """
    )
    assert out == "[]"


def test_a_client_secret_call_creates_only_the_classes_its_answer_reaches():
    """A dict request is checked by its schema's rules; the answer loads its one models module."""
    out = _run(
        """
        import asyncio, sys
        from realtime_sdk import RealtimeClient
        from realtime_sdk.testing import FakeRealtimeAPI

        async def main():
            async with FakeRealtimeAPI(api_key="sk-test") as fake:
                async with RealtimeClient(api_key="sk-test", base_url=fake.base_url) as client:
                    secret = await client.create_realtime_client_secret(
                        {"session": {"type": "realtime", "model": "gpt-realtime"}}
                    )
            return type(secret).__name__

        name = asyncio.run(main())
        print(name, sorted(m for m in sys.modules if m.startswith("realtime_sdk._models.")))
        """
    )
    assert out == "RealtimeCreateClientSecretResponse ['realtime_sdk._models.sessions']"


def test_one_model_import_loads_the_modules_it_needs_only():
    """Importing a model from realtime_sdk.models loads its module and what that imports."""
    out = _run(
        """
        import sys
        from realtime_sdk.models import RealtimeCallRejectRequest, ServerVad
        print(sorted(m for m in sys.modules if m.startswith("realtime_sdk._models.")))
        """
    )
    assert out == (
        "['realtime_sdk._models.calls', 'realtime_sdk._models.session_requests', "
        "'realtime_sdk._models.sessions']"
    )


def test_async_import_leaves_sync_and_azure_clients_out():
    """An async program imports neither the sync facade nor the Azure clients until named."""
    out = _run(
        """
        import sys
        import realtime_sdk
        from realtime_sdk import RealtimeClient
        lazy = {"realtime_sdk._sync._client", "realtime_sdk._client._azure", "realtime_sdk._sync._azure"}
        before = sorted(lazy & set(sys.modules))
        print(before, realtime_sdk.SyncAzureRealtimeClient.__name__, sorted(lazy & set(sys.modules)))
        """
    )
    assert out == (
        "[] SyncAzureRealtimeClient "
        "['realtime_sdk._client._azure', 'realtime_sdk._sync._azure', 'realtime_sdk._sync._client']"
    )


def test_models_load_on_first_use():
    """`realtime_sdk.models.X` still works, and an endpoint's classes resolve on first use."""
    out = _run(
        """
        import sys
        from realtime_sdk._spec import operations
        assert "realtime_sdk.models" not in sys.modules
        print(operations.CLIENT_SECRETS.response.__name__, "realtime_sdk.models" in sys.modules)
        """
    )
    assert out == "RealtimeCreateClientSecretResponse True"
