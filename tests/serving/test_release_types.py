"""The serving copy accepts more DuckDB types than the marts use; its package must still be written and valid."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import duckdb
import frictionless

from serving.publish import publish
from serving.release.package import DESCRIPTOR, PACKAGE_DIR

KINDS = """CREATE TABLE marts.kinds AS SELECT
    1::TINYINT AS ti, 170141183460469231731687303715884105727::HUGEINT AS hi, 18446744073709551615::UBIGINT AS ub,
    1.5::FLOAT AS f, 0.1::DOUBLE AS d, 12345.67::DECIMAL(10,2) AS dec, 'naïve ''quote'', "comma"' AS s,
    DATE '2024-10-01' AS dt, TIME '06:15:00' AS tm, TIMESTAMP '2024-10-01 06:15:00.5' AS ts,
    TIMESTAMPTZ '2024-10-01 08:15:00+02' AS tstz, INTERVAL 90 MINUTE AS iv, '\\x00\\xff'::BLOB AS bl,
    'a2f1c1d8-3b7e-4c1a-9c53-3a6f3f8f2b10'::UUID AS u, ['a', NULL, 'c,"d"'] AS arr, true AS b, NULL::INTEGER AS nothing"""


def test_every_serving_type_gets_a_valid_resource(tmp_path: Path) -> None:
    warehouse = tmp_path / "w" / "probation.duckdb"
    warehouse.parent.mkdir()
    with duckdb.connect(str(warehouse)) as con:
        con.execute("SET TimeZone = 'Europe/London'")  # the session's zone must not leak into the CSV
        con.execute("CREATE SCHEMA marts")
        con.execute(KINDS)
    version = publish(warehouse, warehouse.parent, ["kinds"], [])
    descriptor = version.path / PACKAGE_DIR / DESCRIPTOR
    report = frictionless.validate(str(descriptor))
    assert report.valid, report.flatten(["type", "fieldName", "note"])
    fields = json.loads(descriptor.read_text())["resources"][0]["schema"]["fields"]
    types = {f["name"]: f["type"] for f in fields}
    assert types["ti"] == types["ub"] == "integer" and types["dec"] == "number" and types["tm"] == "time"
    assert types["hi"] == "number"  # Parquet has no 128-bit integer (DuckDB writes a double): CSV and Parquet agree
    assert types["tstz"] == "datetime" and types["iv"] == types["arr"] == types["u"] == "string"
    with (descriptor.parent / "data" / "kinds.csv").open(encoding="utf-8", newline="") as handle:
        row = next(csv.DictReader(handle))
    assert row["tstz"] == "2024-10-01T06:15:00.000000Z" and row["s"] == "naïve 'quote', \"comma\""
    assert row["nothing"] == "" and row["b"] == "true" and row["dt"] == "2024-10-01"
