"""Server-side SVG charts (bar, line, pie) for pages and PDFs: no JavaScript,
no external assets, Chinese labels in the CJK font."""
import math
from html import escape

from django.utils.safestring import mark_safe

PALETTE = ["#1f5fa8", "#e07b24", "#3a9a5b", "#c0392b", "#8e5ea2", "#2a9fb0", "#b5a33a", "#7f7f7f",
           "#d35f9a", "#4b6584"]
FONT = "Noto Sans CJK SC, Noto Sans CJK, sans-serif"


def _nice_max(value, ticks=4):
    """Smallest "round" axis maximum >= value whose ``ticks`` steps are round too."""
    if value <= 0:
        return ticks
    raw = value / ticks
    if raw <= 1 and float(value).is_integer():
        return ticks
    exp = 10 ** math.floor(math.log10(raw))
    for step in (1, 2, 2.5, 5, 10):
        if raw <= step * exp:
            return step * exp * ticks
    return 10 * exp * ticks


def _fmt(v):
    return f"{v:g}" if isinstance(v, float) else str(v)


def _svg(width, height, body, title):
    return mark_safe(
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        f'role="img" aria-label="{escape(str(title))}" font-family="{FONT}" font-size="12">'
        f"<title>{escape(str(title))}</title>{body}</svg>"
    )


def bar_chart(data, title="", width=640, height=300, color=None, horizontal=False):
    """``data``: list of (label, value)."""
    data = list(data)
    if horizontal:
        return _hbar(data, title, width, color)
    rotate = len(data) > 6
    left, right, top, bottom = 56 if rotate else 48, 12, 30 if title else 12, 70 if rotate else 40
    plot_w, plot_h = width - left - right, height - top - bottom
    vmax = _nice_max(max([v for _, v in data] or [0]))
    parts = []
    if title:
        parts.append(f'<text x="{width / 2}" y="18" text-anchor="middle" font-size="14" font-weight="bold">{escape(str(title))}</text>')
    for i in range(5):
        y = top + plot_h - plot_h * i / 4
        parts.append(f'<line x1="{left}" y1="{y:.1f}" x2="{width - right}" y2="{y:.1f}" stroke="#ddd"/>')
        parts.append(f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end" fill="#555">{_fmt(vmax * i / 4)}</text>')
    n = max(len(data), 1)
    slot = plot_w / n
    bw = slot * 0.65
    for i, (label, value) in enumerate(data):
        h = plot_h * (value / vmax) if vmax else 0
        x = left + slot * i + (slot - bw) / 2
        y = top + plot_h - h
        fill = color or PALETTE[0]
        parts.append(f'<rect x="{x:.1f}" y="{y:.1f}" width="{bw:.1f}" height="{h:.1f}" fill="{fill}"><title>{escape(str(label))}: {_fmt(value)}</title></rect>')
        parts.append(f'<text x="{x + bw / 2:.1f}" y="{y - 4:.1f}" text-anchor="middle" font-size="11">{_fmt(value)}</text>')
        lx, ly = x + bw / 2, top + plot_h + 14
        rot = f' transform="rotate(-35 {lx:.1f} {ly:.1f})"' if rotate else ""
        anchor = "end" if rotate else "middle"
        parts.append(f'<text x="{lx:.1f}" y="{ly:.1f}" text-anchor="{anchor}"{rot}>{escape(str(label)[:10])}</text>')
    parts.append(f'<line x1="{left}" y1="{top + plot_h}" x2="{width - right}" y2="{top + plot_h}" stroke="#333"/>')
    return _svg(width, height, "".join(parts), title)


def _hbar(data, title, width, color):
    row = 24
    top = 30 if title else 8
    height = top + row * max(len(data), 1) + 8
    label_w = 150
    plot_w = width - label_w - 60
    vmax = max([v for _, v in data] or [0]) or 1
    parts = []
    if title:
        parts.append(f'<text x="{width / 2}" y="18" text-anchor="middle" font-size="14" font-weight="bold">{escape(str(title))}</text>')
    for i, (label, value) in enumerate(data):
        y = top + i * row
        w = plot_w * value / vmax
        parts.append(f'<text x="{label_w - 6}" y="{y + 16}" text-anchor="end">{escape(str(label))[:18]}</text>')
        parts.append(f'<rect x="{label_w}" y="{y + 4}" width="{w:.1f}" height="{row - 8}" fill="{color or PALETTE[0]}"/>')
        parts.append(f'<text x="{label_w + w + 4:.1f}" y="{y + 16}">{_fmt(value)}</text>')
    return _svg(width, height, "".join(parts), title)


def line_chart(series, labels, title="", width=640, height=300):
    """``series``: list of (name, [values aligned with labels])."""
    left, right, top, bottom = 48, 30, 30 if title else 12, 60
    plot_w, plot_h = width - left - right, height - top - bottom
    vmax = _nice_max(max([v for _, vals in series for v in vals] or [0]))
    n = max(len(labels) - 1, 1)
    parts = []
    if title:
        parts.append(f'<text x="{width / 2}" y="18" text-anchor="middle" font-size="14" font-weight="bold">{escape(str(title))}</text>')
    for i in range(5):
        y = top + plot_h - plot_h * i / 4
        parts.append(f'<line x1="{left}" y1="{y:.1f}" x2="{width - right}" y2="{y:.1f}" stroke="#ddd"/>')
        parts.append(f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end" fill="#555">{_fmt(vmax * i / 4)}</text>')
    for i, label in enumerate(labels):
        x = left + plot_w * i / n
        parts.append(f'<text x="{x:.1f}" y="{top + plot_h + 16}" text-anchor="middle">{escape(str(label))}</text>')
    for si, (name, values) in enumerate(series):
        color = PALETTE[si % len(PALETTE)]
        pts = " ".join(f"{left + plot_w * i / n:.1f},{top + plot_h - plot_h * (v / vmax):.1f}" for i, v in enumerate(values))
        parts.append(f'<polyline points="{pts}" fill="none" stroke="{color}" stroke-width="2"/>')
        for i, v in enumerate(values):
            parts.append(f'<circle cx="{left + plot_w * i / n:.1f}" cy="{top + plot_h - plot_h * (v / vmax):.1f}" r="3" fill="{color}"><title>{escape(str(name))} {escape(str(labels[i]))}: {_fmt(v)}</title></circle>')
        lx = left + si * 130
        parts.append(f'<rect x="{lx}" y="{height - 18}" width="12" height="12" fill="{color}"/>')
        parts.append(f'<text x="{lx + 16}" y="{height - 8}">{escape(str(name))}</text>')
    return _svg(width, height, "".join(parts), title)


def pie_chart(data, title="", width=420, height=260):
    data = [(label, value) for label, value in data if value > 0]
    total = sum(v for _, v in data)
    cx, cy, r = 120, (height + (20 if title else 0)) / 2, 95
    parts = []
    if title:
        parts.append(f'<text x="{width / 2}" y="18" text-anchor="middle" font-size="14" font-weight="bold">{escape(str(title))}</text>')
    if not total:
        parts.append(f'<text x="{width / 2}" y="{height / 2}" text-anchor="middle" fill="#777">无数据</text>')
        return _svg(width, height, "".join(parts), title)
    angle = -math.pi / 2
    for i, (label, value) in enumerate(data):
        frac = value / total
        color = PALETTE[i % len(PALETTE)]
        if frac >= 0.9999:
            parts.append(f'<circle cx="{cx}" cy="{cy}" r="{r}" fill="{color}"/>')
        else:
            end = angle + 2 * math.pi * frac
            x1, y1 = cx + r * math.cos(angle), cy + r * math.sin(angle)
            x2, y2 = cx + r * math.cos(end), cy + r * math.sin(end)
            large = 1 if frac > 0.5 else 0
            parts.append(f'<path d="M{cx},{cy} L{x1:.1f},{y1:.1f} A{r},{r} 0 {large} 1 {x2:.1f},{y2:.1f} Z" fill="{color}"><title>{escape(str(label))}: {_fmt(value)}</title></path>')
            angle = end
        ly = 40 + i * 20
        parts.append(f'<rect x="{cx + r + 20}" y="{ly - 10}" width="12" height="12" fill="{color}"/>')
        parts.append(f'<text x="{cx + r + 36}" y="{ly}">{escape(str(label))[:12]} {_fmt(value)}（{frac:.0%}）</text>')
    return _svg(width, height, "".join(parts), title)
