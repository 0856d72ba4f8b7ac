"""QR codes as inline SVG (segno)."""
import segno


def qr_svg(text, scale=6):
    return segno.make(text, error="m").svg_inline(scale=scale, border=2)
