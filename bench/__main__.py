"""Run every benchmark and print its figures (`make bench`)."""

from __future__ import annotations

from bench import personal_data_scan


def main() -> None:
    personal_data_scan.run()


if __name__ == "__main__":
    main()
