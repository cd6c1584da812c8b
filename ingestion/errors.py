"""Errors that carry a one-line, user-facing reason (printed by the CLI, stored in quarantine)."""


class ReportError(Exception):
    """A file that cannot become an InspectionReport. `reason` is one line for humans."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class ExtractionError(ReportError):
    """The file could not be read as a document (corrupt, encrypted, scanned, wrong type...)."""


class NotAReportError(ReportError):
    """The document was read but is not a parseable PDU inspection report."""
