"""Fetching, text extraction and parsing of HMI Probation PDU inspection reports (no Dagster here)."""

PARSER_VERSION = "2"
