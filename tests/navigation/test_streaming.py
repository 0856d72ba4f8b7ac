"""Uploads are stored in chunks: a large export is never read whole into memory, its hash and
size come from the copy, and an oversized file is refused after reading little more than the
limit, storing nothing."""
import hashlib
import io

import pytest
from django.core.exceptions import ValidationError

from ipcenter.files import services as files
from ipcenter.files.models import Attachment
from navigation import demo, services
from navigation.models import Patent

pytestmark = pytest.mark.django_db


class NeverWhole(io.BytesIO):
    """An uploaded file that fails the test if anyone reads it whole (or in huge pieces)."""

    def __init__(self, data, name):
        super().__init__(data)
        self.name, self.size, self.bytes_read = name, len(data), 0

    def read(self, size=-1):
        if size is None or size < 0 or size > 4 * files.CHUNK:
            raise AssertionError(f"read({size}) of a {self.size}-byte upload: it must be streamed")
        chunk = super().read(size)
        self.bytes_read += len(chunk)
        return chunk


def _large_export(rows=6000):
    buf = io.BytesIO()
    demo.write_chinese_csv(demo.generate(rows, "coal", seed=3), buf)
    return buf.getvalue()


def test_a_large_export_is_stored_and_imported_without_being_read_whole(project, analyst, run_import, settings,
                                                                        tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path
    data = _large_export()
    assert len(data) > files.SPOOL_IN_MEMORY  # larger than what may stay in memory: spooled to disk
    upload = NeverWhole(data, "incopat.csv")
    imp = run_import(project, upload)
    assert upload.bytes_read == len(data)
    assert imp.status == "done", imp.message
    assert imp.attachment.size == len(data)
    assert imp.attachment.sha256 == hashlib.sha256(data).hexdigest()
    with imp.attachment.file.open("rb") as fh:
        assert fh.read() == data
    assert Patent.objects.filter(project=project).count() == imp.created_count == 6000


def test_an_oversized_upload_stops_reading_after_the_limit_and_stores_nothing(analyst, settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path
    files.register_purpose("tests.small_csv", ("csv",), max_size=1 * files.MB)
    data = _large_export()
    upload = NeverWhole(data, "big.csv")
    upload.size = None  # a client that does not say how big the file is
    before = Attachment.objects.count()
    with pytest.raises(ValidationError) as err:
        files.store_upload(upload, "tests.small_csv", analyst)
    assert "超过大小上限" in err.value.messages[0]
    assert upload.bytes_read <= 1 * files.MB + files.CHUNK
    assert Attachment.objects.count() == before


def test_a_streamed_xlsx_is_checked_as_a_container_and_kept_byte_for_byte(analyst, settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path
    buf = io.BytesIO()
    demo.write_chinese_xlsx(demo.generate(3000, "alloy", seed=2), buf)
    data = buf.getvalue()
    att = files.store_upload(NeverWhole(data, "patsnap.xlsx"), services.EXPORT_PURPOSE, analyst)
    assert att.mime_type.endswith("sheet") and att.size == len(data)
    with att.file.open("rb") as fh:
        assert hashlib.sha256(fh.read()).hexdigest() == att.sha256 == hashlib.sha256(data).hexdigest()


def test_a_disguised_file_is_refused_from_its_first_chunk(analyst):
    upload = NeverWhole(b"%PDF-1.4\n" + b"x" * (3 * files.CHUNK), "export.csv")
    with pytest.raises(ValidationError) as err:
        files.store_upload(upload, services.EXPORT_PURPOSE, analyst)
    assert "不是允许的类型" in err.value.messages[0]
