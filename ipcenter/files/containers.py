"""What an upload expands to, checked before anything parses it: ZIP-based files (DOCX, XLSX)
by member count, declared and actual uncompressed size and compression ratio; PDFs by page and
object count and by what their compressed streams inflate to.  Every read is bounded, so a
zip bomb or a PDF bomb costs a few megabytes of work, never the gigabytes it claims."""
import io
import zipfile
import zlib
from dataclasses import dataclass

from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

MB = 1024 * 1024


@dataclass(frozen=True)
class ContainerLimits:
    zip_members: int = 2000           # a large DOCX has a few hundred parts
    zip_total: int = 100 * MB - 1     # uncompressed bytes of all members together
    zip_member: int = 64 * MB         # uncompressed bytes of one member
    ratio: int = 100                  # compressed:uncompressed beyond ratio_floor
    ratio_floor: int = 1 * MB         # small XML parts may compress very well
    pdf_pages: int = 1000
    pdf_objects: int = 200_000
    pdf_inflated: int = 64 * MB       # what the non-image Flate streams of a PDF inflate to
    pdf_ratio_floor: int = 4 * MB     # a stream may inflate this much whatever its ratio


DEFAULT_LIMITS = ContainerLimits()
CHUNK = 64 * 1024


class ContainerError(ValueError):
    """The file expands beyond the limits or is not a readable container; the message is
    Chinese and safe to show to the user."""


def _too_big(name, what):
    return ContainerError(_("文件“%(name)s”%(what)s，可能是压缩炸弹或已损坏，已拒绝。") % {"name": name, "what": what})


def _readable(data):
    """A seekable binary file of ``data`` (bytes, or already a file: the caller's position 0)."""
    return io.BytesIO(data) if isinstance(data, (bytes, bytearray, memoryview)) else data


def check_zip(data, name, limits=DEFAULT_LIMITS):
    """Refuse a ZIP that declares or actually inflates to more than the limits.  Members are
    stream-read with a hard byte limit, so a member lying about its size is caught after
    at most its declared size plus one chunk."""
    try:
        archive = zipfile.ZipFile(_readable(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError):
        raise ContainerError(_("文件“%(name)s”不是有效的 Office 文件（ZIP 结构已损坏）。") % {"name": name})
    if len(members) > limits.zip_members:
        raise _too_big(name, _("包含 %(n)s 个部件（上限 %(max)s）") % {"n": len(members), "max": limits.zip_members})
    declared = sum(m.file_size for m in members)
    if declared > limits.zip_total:
        raise _too_big(name, _("解压后为 %(size)s（上限 %(max)s）")
                       % {"size": filesizeformat(declared), "max": filesizeformat(limits.zip_total)})
    for m in members:
        if m.file_size > limits.zip_member:
            raise _too_big(name, _("中的部件 %(part)s 解压后为 %(size)s") % {"part": m.filename[:60],
                                                                       "size": filesizeformat(m.file_size)})
        if m.file_size > limits.ratio_floor and m.file_size > limits.ratio * max(m.compress_size, 1):
            raise _too_big(name, _("中的部件 %(part)s 压缩比超过 %(ratio)s:1") % {"part": m.filename[:60],
                                                                           "ratio": limits.ratio})
    total = 0
    for m in members:
        if m.is_dir():
            continue
        read = 0
        try:
            with archive.open(m) as fh:
                while chunk := fh.read(CHUNK):
                    read += len(chunk)
                    total += len(chunk)
                    if read > m.file_size or total > limits.zip_total:
                        raise _too_big(name, _("的实际解压大小超过声明的大小"))
        except ContainerError:
            raise
        except (zipfile.BadZipFile, NotImplementedError, RuntimeError, ValueError, OSError, EOFError, zlib.error):
            # bad CRC, encrypted member, unknown compression
            raise ContainerError(_("文件“%(name)s”无法解压（已加密或已损坏）。") % {"name": name})
        if read != m.file_size:
            raise ContainerError(_("文件“%(name)s”已损坏（部件大小与声明不符）。") % {"name": name})


def _inflate_bounded(raw, budget):
    """Bytes a Flate stream inflates to, reading at most ``budget + 1`` of them."""
    inflater = zlib.decompressobj()
    produced, pending = 0, raw
    while pending and produced <= budget:
        out = inflater.decompress(pending, CHUNK)
        produced += len(out)
        pending = inflater.unconsumed_tail
        if not out:
            break
    return produced


def check_container(data, kind, name, limits=DEFAULT_LIMITS, max_pages=None):
    """Run the check for ``kind`` (``docx``/``xlsx`` → ZIP, ``pdf``) on bytes or a seekable
    binary file; other kinds pass."""
    if kind in ZIP_KINDS:
        check_zip(data, name, limits)
    elif kind == "pdf":
        check_pdf(data, name, limits, max_pages=max_pages)


ZIP_KINDS = ("docx", "xlsx")


def check_pdf(data, name, limits=DEFAULT_LIMITS, max_pages=None):
    """Refuse a PDF with too many pages or objects, or whose Flate streams (page contents,
    fonts, object streams: what a text extractor parses) inflate beyond the limits — each
    stream by ratio, all together by size; images are never parsed and not inflated here.
    A PDF that cannot be parsed at all is left to the reader that uses it (which reports it
    as unreadable)."""
    from pdfminer.pdfdocument import PDFDocument
    from pdfminer.pdfparser import PDFParser
    from pdfminer.pdftypes import PDFStream, resolve1
    from pdfminer.psparser import LIT

    max_pages = max_pages or limits.pdf_pages
    try:
        doc = PDFDocument(PDFParser(_readable(data)))
        objids = {objid for xref in doc.xrefs for objid in xref.get_objids()}
    except Exception:  # pdfminer raises many types for broken or encrypted files
        return
    if len(objids) > limits.pdf_objects:
        raise _too_big(name, _("包含 %(n)s 个对象（上限 %(max)s）") % {"n": len(objids), "max": limits.pdf_objects})
    try:
        pages = resolve1(resolve1(doc.catalog.get("Pages")).get("Count"))
    except Exception:
        pages = None
    if isinstance(pages, int) and pages > max_pages:
        raise ContainerError(_("文件“%(name)s”共 %(n)s 页，超过上限 %(max)s 页。")
                             % {"name": name, "n": pages, "max": max_pages})
    flate = (LIT("FlateDecode"), LIT("Fl"))
    inflated = 0
    for objid in objids:
        try:
            obj = doc.getobj(objid)
        except Exception:
            continue
        if not isinstance(obj, PDFStream):
            continue
        try:
            filters = obj.get_filters()
        except Exception:
            continue
        if not filters or filters[0][0] not in flate or resolve1(obj.attrs.get("Subtype")) == LIT("Image"):
            continue
        raw = obj.rawdata or b""
        budget = min(limits.pdf_inflated - inflated, max(limits.pdf_ratio_floor, limits.ratio * len(raw)))
        produced = _inflate_bounded(raw, budget)
        if produced > budget:
            raise _too_big(name, _("中的压缩数据解压后过大"))
        inflated += produced
