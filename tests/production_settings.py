"""Production settings for tests/test_production.py: kvarter.settings.prod, unchanged but one thing.

The static storage stays whitenoise's manifest storage, which follows every reference in CSS and
JavaScript (where a missing source map stopped `kvarter serve`), but skips whitenoise's gzip and
Brotli copies of the 40 MB of static files: they take minutes of CPU and prove nothing here.
"""

from collections.abc import Iterable, Iterator

from whitenoise.storage import CompressedManifestStaticFilesStorage

from kvarter.settings.prod import *  # noqa: F403
from kvarter.settings.prod import STORAGES


class ManifestWithoutCompression(CompressedManifestStaticFilesStorage):
    def compress_files(self, paths: Iterable[str]) -> Iterator[tuple[str, str]]:
        return iter(())


STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "tests.production_settings.ManifestWithoutCompression"},
}
