#!/usr/bin/python3
"""Makes the fonts embedded by package report from Debian's Amiri.

gopdf (v0.33) subsets TrueType fonts itself, and its subsetter follows only
one level of composite glyphs: a composite whose component is itself
composite (in Amiri nearly every Arabic letter: beh = dotless beh + a dot
that is a composite) is embedded without its outlines and prints blank.
So the fonts committed here are Amiri with every composite glyph
decomposed into plain outlines, and, to keep them small, only the
characters a custody document prints: Latin (Basic, Latin-1, Extended-A and
-B), general punctuation, and Arabic with its presentation forms (which the
shaping in arabic.go draws). Layout tables (GSUB, GPOS, GDEF) and hinting
are dropped: a PDF uses neither.

Usage, on Debian, with python3-fonttools installed (run from this folder):

    cd "$(mktemp -d)" && apt-get download fonts-hosny-amiri && \\
        dpkg-deb -x fonts-hosny-amiri_*_all.deb x && cd - && \\
        /usr/bin/python3 make-fonts.py "$OLDPWD/x/usr/share/fonts/opentype/fonts-hosny-amiri"
"""

import os
import sys

from fontTools import subset
from fontTools.pens.recordingPen import DecomposingRecordingPen
from fontTools.pens.ttGlyphPen import TTGlyphPen
from fontTools.ttLib import TTFont

UNICODES = (
    "U+0020-007E,U+00A0-024F,U+0300-036F,U+2010-2027,U+2030-203A,U+2044,"
    "U+20AC,U+2116,U+2122,U+2190-2193,U+2212,U+25CF,"
    "U+0600-06FF,U+0750-077F,U+FB50-FBFF,U+FD3E-FD3F,U+FE70-FEFC"
)


def make(src, dst):
    font = TTFont(src)
    opts = subset.Options()
    opts.layout_features = []
    opts.drop_tables += ["DSIG", "GDEF", "GSUB", "GPOS", "gasp", "prep", "fpgm", "cvt "]
    opts.hinting = False
    opts.name_IDs = ["*"]
    opts.name_languages = ["*"]
    opts.notdef_outline = True
    opts.glyph_names = True
    sub = subset.Subsetter(opts)
    sub.populate(unicodes=subset.parse_unicodes(UNICODES))
    sub.subset(font)

    glyf = font["glyf"]
    gs = font.getGlyphSet()
    flat = {}
    for name in font.getGlyphOrder():
        if glyf[name].isComposite():
            rec = DecomposingRecordingPen(gs)
            gs[name].draw(rec)
            pen = TTGlyphPen(None)
            rec.replay(pen)
            flat[name] = pen.glyph()
    for name, g in flat.items():
        glyf[name] = g
    # Recompute bounding boxes and maxp for the new outlines.
    for name in flat:
        glyf[name].recalcBounds(glyf)
    font["maxp"].recalc(font)
    font["head"].checkSumAdjustment = 0
    font.save(dst)
    print(f"{dst}: {len(font.getGlyphOrder())} glyphs, {len(flat)} decomposed, {os.path.getsize(dst)} bytes")


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: make-fonts.py DIR-WITH-Amiri-Regular.ttf")
    here = os.path.dirname(os.path.abspath(__file__))
    for style in ("Regular", "Bold"):
        make(os.path.join(sys.argv[1], f"Amiri-{style}.ttf"), os.path.join(here, f"Amiri-{style}.ttf"))


if __name__ == "__main__":
    main()
