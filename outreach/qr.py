"""QR codes as inline SVG for pages and PDFs, and as PNG for e-mails (segno; mail clients do
not show SVG images, and segno writes PNG without Pillow).

Always a full QR code, never a Micro QR: segno picks Micro QR for short texts such as a
12-character ticket code, and neither phone cameras nor the check-in page's decoder read those.
The quiet zone is the standard four modules, which camera decoders need to find the code."""
import io

import segno


def qr_svg(text, scale=6):
    return segno.make_qr(text, error="m").svg_inline(scale=scale, border=4)


def qr_png(text, scale=6):
    """The same code as PNG bytes."""
    buf = io.BytesIO()
    segno.make_qr(text, error="m").save(buf, kind="png", scale=scale, border=4)
    return buf.getvalue()
