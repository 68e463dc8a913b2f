"""Errors the user can act on; anything else escaping the library is a bug."""


class BantuanError(Exception):
    """A problem with the user's input or set-up, with a hint on what to do."""

    exit_code = 2

    def __init__(self, message: str, hint: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint


class ConfigError(BantuanError):
    """The configuration file is unreadable or holds an impossible value."""


class InputError(BantuanError):
    """An input the stage cannot do without (registry, enrolled list, work table) is unusable."""
