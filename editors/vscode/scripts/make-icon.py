"""Draws images/icon.png (128x128): a page with text lines, one struck through and
rewritten, on a dark green rounded square. Standard library only; run it to regenerate:
python3 scripts/make-icon.py"""
import struct
import zlib
from pathlib import Path

SIZE, SS = 128, 4  # final size, supersampling factor per axis
BG, PAGE, LINE, MARK = (31, 58, 46), (246, 244, 236), (150, 160, 155), (46, 168, 98)


def rounded_rect(x, y, x0, y0, x1, y1, r):
    cx = min(max(x, x0 + r), x1 - r)
    cy = min(max(y, y0 + r), y1 - r)
    return x0 <= x <= x1 and y0 <= y <= y1 and (x - cx) ** 2 + (y - cy) ** 2 <= r * r


def near_segment(x, y, ax, ay, bx, by, width):
    dx, dy = bx - ax, by - ay
    t = max(0.0, min(1.0, ((x - ax) * dx + (y - ay) * dy) / (dx * dx + dy * dy)))
    px, py = ax + t * dx, ay + t * dy
    return (x - px) ** 2 + (y - py) ** 2 <= (width / 2) ** 2


def colour(x, y):
    """The colour at (x, y) in icon coordinates, or None for transparent."""
    if not rounded_rect(x, y, 4, 4, 124, 124, 24):
        return None
    if near_segment(x, y, 58, 86, 72, 100, 11) or near_segment(x, y, 72, 100, 104, 60, 11):
        return MARK  # the check mark, over the page's corner
    if rounded_rect(x, y, 26, 20, 88, 108, 6):
        for i, (x1, y_line) in enumerate([(78, 36), (70, 50), (78, 64), (52, 78)]):
            if rounded_rect(x, y, 36, y_line - 3, x1, y_line + 3, 3):
                return LINE if i != 1 else MARK
        return PAGE
    return BG


rows = []
for py in range(SIZE):
    row = bytearray([0])  # filter: none
    for px in range(SIZE):
        acc, hits = [0, 0, 0], 0
        for sy in range(SS):
            for sx in range(SS):
                c = colour(px + (sx + 0.5) / SS, py + (sy + 0.5) / SS)
                if c:
                    hits += 1
                    for k in range(3):
                        acc[k] += c[k]
        if hits:
            row += bytes([acc[0] // hits, acc[1] // hits, acc[2] // hits, 255 * hits // (SS * SS)])
        else:
            row += bytes(4)
    rows.append(bytes(row))


def chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


png = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", SIZE, SIZE, 8, 6, 0, 0, 0))
png += chunk(b"IDAT", zlib.compress(b"".join(rows), 9)) + chunk(b"IEND", b"")
out = Path(__file__).resolve().parent.parent / "images" / "icon.png"
out.write_bytes(png)
print(f"{out}: {len(png)} bytes")
