"""Named exceptions; the CLI turns them into ``Error: ...`` lines and exit code 1."""


class ReformFactsError(Exception):
    """Base class of every error this package raises on purpose."""


class ReadError(ReformFactsError):
    """A file could not be read as an article. ``str()`` is one line naming the file and the reason."""

    def __init__(self, path: str, reason: str):
        self.path = path
        self.reason = reason
        super().__init__(f"{path}: {reason}")


class PatternError(ReformFactsError):
    """A pattern file is malformed; the message names the file and the entry."""


class StoreError(ReformFactsError):
    """The database cannot be opened or written."""
