"""Run every benchmark and print its figures (`make bench`)."""

from __future__ import annotations

from bench import (
    area_profile,
    hotspots,
    incident_import,
    indicator_import,
    personal_data_scan,
    plan_import,
    report_render,
    situational_picture,
)


def main() -> None:
    personal_data_scan.run()
    report_render.run()
    indicator_import.run()
    area_profile.run()
    incident_import.run()
    hotspots.run()
    situational_picture.run()
    plan_import.run()


if __name__ == "__main__":
    main()
