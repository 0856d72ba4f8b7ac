"""QR codes as inline SVG (segno).

Always a full QR code, never a Micro QR: segno picks Micro QR for short texts such as a
12-character ticket code, and neither phone cameras nor the check-in page's decoder read those.
The quiet zone is the standard four modules, which camera decoders need to find the code."""
import segno


def qr_svg(text, scale=6):
    return segno.make_qr(text, error="m").svg_inline(scale=scale, border=4)
