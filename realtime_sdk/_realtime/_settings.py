"""`ConnectOptions`: the settings of one connection, checked when `connect` is called."""

from collections.abc import Mapping

import attrs

from realtime_sdk._reconnect import ReconnectHook
from realtime_sdk._secret import Secret
from realtime_sdk.errors import ConfigurationError


@attrs.frozen(kw_only=True)
class ConnectOptions:
    """The settings of one connection (see `RealtimeClient.connect` for each)."""

    client_secret: str | Secret | None = attrs.field(repr=False)
    extra_headers: Mapping[str, str] | None = attrs.field(repr=False)
    heartbeat: float | None
    max_message_size: int
    max_queued_events: int
    send_timeout: float
    timeout: float
    reconnect: bool = False
    reconnect_deadline: float = 60.0
    on_reconnect: ReconnectHook | None = None

    def check(self) -> None:
        """Refuse settings out of range, naming the setting.

        Raises:
            ConfigurationError: a limit that is not a positive number.
        """
        for name in ("send_timeout", "timeout", "reconnect_deadline"):
            _positive(name, getattr(self, name))
        if self.heartbeat is not None:
            _positive("heartbeat", self.heartbeat)
        for name in ("max_message_size", "max_queued_events"):
            value = getattr(self, name)
            if type(value) is not int or value < 1:
                msg = f"{name}: expected a whole number of at least 1"
                raise ConfigurationError(msg)
        reconnect: object = self.reconnect  # untyped callers pass anything
        if type(reconnect) is not bool:
            msg = "reconnect: expected True or False"
            raise ConfigurationError(msg)
        hook: object = self.on_reconnect
        if hook is not None and not callable(hook):
            msg = "on_reconnect: expected a callable taking a ReconnectAttempt"
            raise ConfigurationError(msg)


def _positive(name: str, value: object) -> None:
    if type(value) not in {int, float} or not value > 0:  # type: ignore[operator]
        msg = f"{name}: expected a number of seconds greater than 0"
        raise ConfigurationError(msg)


__all__ = ["ConnectOptions"]
