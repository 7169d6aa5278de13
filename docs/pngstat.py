"""Size and colours of a PNG screenshot, with the standard library alone.

    python3 docs/pngstat.py FILE.png
    prints: WIDTH HEIGHT DISTINCT_COLOURS DOMINANT_PERCENT

DOMINANT_PERCENT is the share of pixels of the most common colour: 100 for
a blank page. Reads 8-bit RGB and RGBA, non-interlaced (what Chromium's
--screenshot writes); anything else is an error (exit 1).
"""
import collections
import struct
import sys
import zlib


def read_png(path):
    data = open(path, 'rb').read()
    if data[:8] != b'\x89PNG\r\n\x1a\n':
        raise ValueError('not a PNG')
    pos, idat, ihdr = 8, b'', None
    while pos + 8 <= len(data):
        size, kind = struct.unpack('>I4s', data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + size]
        if kind == b'IHDR':
            ihdr = struct.unpack('>IIBBBBB', body)
        elif kind == b'IDAT':
            idat += body
        pos += 12 + size
    if ihdr is None:
        raise ValueError('no IHDR chunk')
    width, height, depth, ctype, _, _, interlace = ihdr
    if depth != 8 or ctype not in (2, 6) or interlace:
        raise ValueError('unsupported PNG: depth %d, colour type %d, interlace %d'
                         % (depth, ctype, interlace))
    bpp = 3 if ctype == 2 else 4
    raw, stride = zlib.decompress(idat), width * bpp
    rows, prev = [], bytearray(stride)
    for y in range(height):
        start = y * (stride + 1)
        kind, line = raw[start], bytearray(raw[start + 1:start + 1 + stride])
        if kind == 2:
            line = bytearray((a + b) & 255 for a, b in zip(line, prev))
        elif kind != 0:
            for i in range(stride):
                left = line[i - bpp] if i >= bpp else 0
                up = prev[i]
                if kind == 1:
                    line[i] = (line[i] + left) & 255
                elif kind == 3:
                    line[i] = (line[i] + (left + up) // 2) & 255
                elif kind == 4:
                    upleft = prev[i - bpp] if i >= bpp else 0
                    p = left + up - upleft
                    pa, pb, pc = abs(p - left), abs(p - up), abs(p - upleft)
                    pred = left if pa <= pb and pa <= pc else up if pb <= pc else upleft
                    line[i] = (line[i] + pred) & 255
                else:
                    raise ValueError('bad filter type %d' % kind)
        rows.append(bytes(line))
        prev = line
    return width, height, bpp, rows


def main():
    try:
        width, height, bpp, rows = read_png(sys.argv[1])
    except (OSError, ValueError, zlib.error) as err:
        print('pngstat: %s: %s' % (sys.argv[1], err), file=sys.stderr)
        return 1
    colours = collections.Counter()
    for row in rows:
        for x in range(0, len(row), bpp):
            colours[row[x:x + 3]] += 1
    dominant = colours.most_common(1)[0][1]
    print(width, height, len(colours), '%.1f' % (100.0 * dominant / (width * height)))
    return 0


if __name__ == '__main__':
    sys.exit(main())
