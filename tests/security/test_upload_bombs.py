"""Uploads are checked for what they expand to before anything parses them: a zip-bomb DOCX,
a DOCX lying about its sizes, a PDF with too many pages and a PDF whose content stream
inflates to 100 MiB are refused with a Chinese message, after a bounded amount of work."""
import io
import struct
import zipfile
import zlib

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from ipcenter.files import containers
from ipcenter.files.models import Attachment
from ipcenter.files.services import store_upload, validate_upload
from prescreen import precheck
from tests.conftest import login
from tests.prescreen.fixtures import builders
from tests.prescreen.test_filing import draft

MIB = 1024 * 1024
BOMB_SIZE = 100 * MIB


def _docx_with_document(document_xml_size, zeros=True):
    """A real DOCX whose word/document.xml is replaced by ``document_xml_size`` bytes."""
    src = zipfile.ZipFile(io.BytesIO(builders.docx_bytes(["1. 一种装置。"])))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for info in src.infolist():
            if info.filename == "word/document.xml":
                member = zipfile.ZipInfo("word/document.xml")
                member.compress_type = zipfile.ZIP_DEFLATED
                with zf.open(member, "w", force_zip64=True) as fh:
                    block = b"\0" * MIB
                    for _ in range(document_xml_size // MIB):
                        fh.write(block)
            else:
                zf.writestr(info, src.read(info.filename))
    return out.getvalue()


@pytest.fixture(scope="module")
def bomb():
    return _docx_with_document(BOMB_SIZE)


def _lie_about_size(data, member, size):
    """Rewrite the central directory so ``member`` declares ``size`` uncompressed bytes."""
    data = bytearray(data)
    pos = data.find(b"PK\x01\x02")
    while pos >= 0:
        name_len = struct.unpack_from("<H", data, pos + 28)[0]
        name = bytes(data[pos + 46:pos + 46 + name_len]).decode()
        if name == member:
            struct.pack_into("<I", data, pos + 24, size)
        pos = data.find(b"PK\x01\x02", pos + 4)
    return bytes(data)


class _Counter:
    """Counts bytes handed out by zipfile's member streams (what was decompressed)."""

    def __init__(self, monkeypatch):
        self.read = 0
        original = zipfile.ZipExtFile.read

        def counting(fh, n=-1):
            chunk = original(fh, n)
            self.read += len(chunk)
            return chunk

        monkeypatch.setattr(zipfile.ZipExtFile, "read", counting)


def _no_parsing(monkeypatch):
    import docx

    def refuse(*a, **kw):
        raise AssertionError("the bomb reached the DOCX parser")

    monkeypatch.setattr(docx, "Document", refuse)


def test_the_bomb_is_small_and_detected_as_docx(bomb):
    assert len(bomb) < 1 * MIB
    assert sum(i.file_size for i in zipfile.ZipFile(io.BytesIO(bomb)).infolist()) > BOMB_SIZE


def test_a_zip_bomb_docx_is_refused_without_decompressing_it(bomb, monkeypatch):
    counter = _Counter(monkeypatch)
    _no_parsing(monkeypatch)
    with pytest.raises(ValidationError) as err:
        validate_upload(SimpleUploadedFile("说明书.docx", bomb), "prescreen.document")
    assert err.value.code == "container"
    assert "压缩炸弹" in err.value.messages[0] and "说明书.docx" in err.value.messages[0]
    assert counter.read == 0  # refused on the declared sizes alone


def test_a_docx_lying_about_its_size_is_refused_after_a_bounded_read(bomb, monkeypatch):
    liar = _lie_about_size(bomb, "word/document.xml", 4096)
    counter = _Counter(monkeypatch)
    _no_parsing(monkeypatch)
    with pytest.raises(ValidationError) as err:
        validate_upload(SimpleUploadedFile("liar.docx", liar), "prescreen.document")
    assert err.value.code == "container"
    assert counter.read < 2 * MIB


def test_a_high_ratio_member_is_refused(monkeypatch):
    data = _docx_with_document(8 * MIB)  # 8 MiB of zeros: well under the size cap, ratio ~1000:1
    with pytest.raises(ValidationError) as err:
        validate_upload(SimpleUploadedFile("ratio.docx", data), "prescreen.document")
    assert "压缩比" in err.value.messages[0]


def test_too_many_members_are_refused():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        for info in zipfile.ZipFile(io.BytesIO(builders.docx_bytes(["x"]))).infolist():
            zf.writestr(info.filename, b"")
        for i in range(containers.DEFAULT_LIMITS.zip_members + 1):
            zf.writestr(f"customXml/item{i}.xml", b"")
    with pytest.raises(ValidationError) as err:
        validate_upload(SimpleUploadedFile("many.docx", out.getvalue()), "prescreen.document")
    assert "个部件" in err.value.messages[0]


def test_an_ordinary_docx_is_still_accepted():
    name, kind, _data = validate_upload(SimpleUploadedFile("说明书.docx", builders.docx_bytes(["[0001] 正文。"])),
                                        "prescreen.document")
    assert (name, kind) == ("说明书.docx", "docx")


@pytest.mark.django_db
def test_the_documents_page_refuses_the_bomb_with_a_chinese_error_and_stores_nothing(client, org, applicant_user,
                                                                                     bomb, monkeypatch):
    case = draft(org, applicant_user, files={})
    _no_parsing(monkeypatch)
    resp = login(client, applicant_user).post(reverse("prescreen:case-documents", args=[case.pk]),
                                              {"description": SimpleUploadedFile("说明书.docx", bomb)})
    assert resp.status_code == 400
    assert "压缩炸弹" in resp.content.decode()
    assert not Attachment.objects.filter(object_id=case.pk).exists()


# --- PDFs -------------------------------------------------------------------------------------

def _pdf(pages, content=b""):
    """A well-formed PDF with ``pages`` empty pages; the first page's content stream is
    ``content`` Flate-compressed."""
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>",
               b"<< /Type /Pages /Count %d /Kids [%s] >>" % (pages, b" ".join(b"%d 0 R" % (4 + i)
                                                                              for i in range(pages)))]
    packed = zlib.compress(content, 9)
    objects.append(b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(packed) + packed + b"\nendstream")
    for i in range(pages):
        objects.append(b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842]%s >>"
                       % (b" /Contents 3 0 R" if i == 0 else b""))
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for n, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % n + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def test_a_pdf_with_too_many_pages_is_refused():
    too_many = containers.DEFAULT_LIMITS.pdf_pages + 1
    with pytest.raises(ValidationError) as err:
        validate_upload(SimpleUploadedFile("附图.pdf", _pdf(too_many)), "prescreen.document")
    assert err.value.code == "container" and f"共 {too_many} 页" in err.value.messages[0]


def test_a_pdf_within_the_page_limit_is_accepted():
    _name, kind, _data = validate_upload(SimpleUploadedFile("附图.pdf", _pdf(3, b"BT ET")), "prescreen.document")
    assert kind == "pdf"


def test_a_pdf_whose_content_stream_inflates_to_100_mib_is_refused(monkeypatch):
    inflated = []
    original = containers._inflate_bounded
    monkeypatch.setattr(containers, "_inflate_bounded",
                        lambda raw, budget: inflated.append(original(raw, budget)) or inflated[-1])
    with pytest.raises(ValidationError) as err:
        validate_upload(SimpleUploadedFile("bomb.pdf", _pdf(1, b"\0" * BOMB_SIZE)), "prescreen.document")
    assert "解压后过大" in err.value.messages[0]
    assert max(inflated) < 16 * MIB  # stopped at the ratio budget, far below the 100 MiB


def test_the_precheck_caps_what_it_extracts(monkeypatch):
    monkeypatch.setattr(precheck, "MAX_TEXT_CHARS", 50)
    doc = precheck.extract_text(io.BytesIO(builders.docx_bytes([f"[{i:04d}] 段落内容很长很长。" for i in range(200)])),
                                "说明书.docx")
    assert len(doc.paragraphs) < 10


def test_the_precheck_refuses_an_oversized_input(monkeypatch):
    monkeypatch.setattr(precheck, "MAX_INPUT_BYTES", 1000)
    with pytest.raises(precheck.ExtractionError):
        precheck.extract_text(io.BytesIO(b"%PDF-" + b"0" * 2000), "x.pdf")
