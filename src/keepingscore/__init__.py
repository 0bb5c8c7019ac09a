"""Helper package for Keeping Score: the synthetic town, validated datasets, charts and checks."""

from .errors import DataError, KeepingScoreError, UnknownDatasetError

__version__ = "0.1.0"
__all__ = ["DataError", "KeepingScoreError", "UnknownDatasetError", "__version__"]
