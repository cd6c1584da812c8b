"""Fetching, text extraction and parsing of HMI Probation PDU inspection reports (no Dagster here)."""

# Raised when the reader or parser reads a file differently: every loaded file is read again once.
# 3: PDF layout (columns, typeset and office layouts, re-distilled fonts), hyphens, covers in capitals.
PARSER_VERSION = "3"
