"""Exceptions a reader can meet, each with a message that says what to fix."""


class KeepingScoreError(Exception):
    """Base class for every error the helper package raises on purpose."""


class DataError(KeepingScoreError):
    """A dataset file does not match its schema in datapackage.json."""


class UnknownDatasetError(KeepingScoreError, KeyError):
    """A dataset name that datapackage.json does not define."""

    def __str__(self) -> str:  # KeyError would otherwise wrap the message in quotes
        return str(self.args[0]) if self.args else ""
