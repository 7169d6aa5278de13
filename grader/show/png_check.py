#!/usr/bin/python3
"""png_check.py PNG: exits 0 when the screenshot is a drawn page.

Rules: a real PNG, at least 400x300 pixels, and its pixels hold more than
a handful of colours, including the problem colours' red (a blank or an
error page has a few greys). Reads 8-bit RGB(A) PNGs, as Chromium writes.
"""
import struct
import sys
import zlib


def pixels(path):
    data = open(path, "rb").read()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError("not a PNG")
    pos, idat, width = 8, b"", 0
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            width, height, depth, colour = struct.unpack(">IIBB", body[:10])
            if depth != 8 or colour not in (2, 6):
                raise ValueError("not 8-bit RGB")
            bpp = 3 if colour == 2 else 4
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    raw = zlib.decompress(idat)
    stride = width * bpp
    rows, prev = [], bytearray(stride)
    for y in range(height):
        f = raw[y * (stride + 1)]
        line = bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for x in range(stride):
            a = line[x - bpp] if x >= bpp else 0
            b = prev[x]
            c = prev[x - bpp] if x >= bpp else 0
            if f == 1:
                line[x] = (line[x] + a) & 255
            elif f == 2:
                line[x] = (line[x] + b) & 255
            elif f == 3:
                line[x] = (line[x] + (a + b) // 2) & 255
            elif f == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[x] = (line[x] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        rows.append(bytes(line))
        prev = line
    return width, height, bpp, rows


def main():
    width, height, bpp, rows = pixels(sys.argv[1])
    colours = set()
    for row in rows[::4]:
        for x in range(0, len(row), bpp * 4):
            colours.add(row[x:x + 3])
    reds = [c for c in colours if c[0] > 180 and c[1] < 90 and c[2] < 90]
    print("png: %dx%d, %d colours sampled, %d strong reds" % (width, height, len(colours), len(reds)))
    return 0 if width >= 400 and height >= 300 and len(colours) > 20 and reds else 1


if __name__ == "__main__":
    sys.exit(main())
