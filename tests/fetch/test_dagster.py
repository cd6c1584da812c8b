"""The Dagster wiring: landing_reports materialised against the fake site, the sensor evaluated, the schedule."""

from __future__ import annotations

from pathlib import Path

import pytest
from dagster import RunRequest, SkipReason, build_schedule_context, build_sensor_context, materialize

from orchestration.assets.fetch import LANDING_REPORTS, landing_reports
from orchestration.schedules import weekly_refresh_schedule
from orchestration.sensors import new_reports_sensor

from .site import Site


@pytest.fixture
def landing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("PROBATION_REPORTS_DIR", str(tmp_path))
    return tmp_path


def metadata(result) -> dict:
    [event] = result.get_asset_materialization_events()
    assert event.asset_key == LANDING_REPORTS
    return {k: v.value for k, v in event.materialization.metadata.items()}


def asset_config(**config) -> dict:
    return {"ops": {"landing_reports": {"config": config}}}


def test_enabled_asset_fetches_into_the_landing_folder(clean_site: Site, landing: Path) -> None:
    config = asset_config(enabled=True, listing_url=clean_site.listing_url, delay_seconds=0.0, max_pages=5)
    result = materialize([landing_reports], run_config=config)
    assert result.success
    meta = metadata(result)
    assert (meta["new"], meta["changed"], meta["unchanged"], meta["skipped"], meta["failed"]) == (2, 0, 0, 1, 0)
    assert meta["complete"] is True and meta["landing_files"] == 2
    assert "| new | dorset-pdu-inspection-report.pdf |" in meta["downloaded"]
    assert (landing / "dorset-pdu-inspection-report.pdf").is_file()

    again = metadata(materialize([landing_reports], run_config=config))
    assert again["unchanged"] == 2 and again["new"] == 0 and again["downloaded"] == "Nothing downloaded."


def test_disabled_asset_only_counts_files(clean_site: Site, landing: Path) -> None:
    (landing / "sample.txt").write_text("a report")
    (landing / ".history").mkdir()
    (landing / ".history" / "old.pdf").write_bytes(b"%PDF-")
    config = asset_config(enabled=False, listing_url=clean_site.listing_url)
    meta = metadata(materialize([landing_reports], run_config=config))
    assert meta == {"fetch_enabled": False, "landing_dir": str(landing), "landing_files": 1}
    assert clean_site.hits == []


def test_sensor_requests_a_run_only_for_unseen_reports(
    full_site: Site, landing: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PROBATION_LISTING_URL", full_site.listing_url)
    first = new_reports_sensor(build_sensor_context())
    assert isinstance(first, RunRequest)
    assert first.run_config["ops"] == asset_config(enabled=True, listing_url=full_site.listing_url)["ops"]
    # only the first listing page was read, nothing else
    assert [h.path.rsplit("paged=", 1)[1] for h in full_site.hits] == ["0"]
    assert new_reports_sensor(build_sensor_context()).run_key == first.run_key  # same new set, same key

    materialize(
        [landing_reports], run_config=asset_config(enabled=True, listing_url=full_site.listing_url, delay_seconds=0.0)
    )
    assert isinstance(new_reports_sensor(build_sensor_context()), SkipReason)

    full_site.listing[0].insert(0, ("/hmiprobation/inspections/yorkpdu2025/", "An inspection of York PDU"))
    full_site.listing[0].insert(0, ("/hmiprobation/inspections/leedsyjs2025/", "Youth justice services in Leeds"))
    later = new_reports_sensor(build_sensor_context())
    assert isinstance(later, RunRequest) and later.run_key != first.run_key


def test_sensor_skips_when_the_listing_is_unreachable(site: Site, landing: Path, monkeypatch) -> None:
    monkeypatch.setenv("PROBATION_LISTING_URL", site.listing_url)
    site.server.shutdown()
    site.server.server_close()
    result = new_reports_sensor(build_sensor_context())
    assert isinstance(result, SkipReason) and "listing not readable" in result.skip_message


def test_weekly_schedule_enables_fetching() -> None:
    assert weekly_refresh_schedule.job_name == "refresh_all"
    assert weekly_refresh_schedule.cron_schedule == "0 6 * * 1"
    assert weekly_refresh_schedule.execution_timezone == "Europe/London"
    [request] = weekly_refresh_schedule.evaluate_tick(build_schedule_context()).run_requests
    assert request.run_config["ops"] == asset_config(enabled=True)["ops"]
    assert request.run_config["loggers"]["console"]["config"]["log_level"] == "INFO"  # a quiet console
    assert new_reports_sensor.job_name == "refresh_all"
    assert new_reports_sensor.minimum_interval_seconds == 3600
