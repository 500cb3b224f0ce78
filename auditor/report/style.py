"""The page's stylesheet: screen (a phone too) and A4 print."""

from __future__ import annotations

from auditor.report.fmt import css_string
from auditor.report.font import FAMILY, font_faces

CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; font-src data:"

SCREEN = """
:root{--met:#2e7d32;--missed:#c62828;--progress:#8d6e00;--unknown:#616161}
*{box-sizing:border-box}
body{font-family:'FAMILY',"DejaVu Sans",Arial,sans-serif;margin:0 auto;max-width:1100px;
 padding:12px 16px;color:#111;line-height:1.4;font-size:15px}
h1{font-size:1.5em;margin:.2em 0}h2{font-size:1.25em;border-bottom:2px solid #333;
 margin-top:1.6em;padding-bottom:.15em}h3{font-size:1.05em;margin:1.2em 0 .3em}
.meta{color:#333;margin:.2em 0}
.scroll{overflow-x:auto}
table{border-collapse:collapse;margin:.4em 0;font-size:.9em}
th,td{border:1px solid #999;padding:3px 6px;text-align:left;vertical-align:top}
th{background:#eee}
td.n{text-align:right;font-variant-numeric:tabular-nums}
.cards{display:flex;flex-wrap:wrap;gap:10px;margin:.6em 0}
.card{flex:1 1 150px;border:2px solid #333;padding:8px 10px;border-radius:4px}
.card .big{font-size:2.2em;font-weight:700;line-height:1.1}
.card.full{border-color:var(--met)}.card.none{border-color:var(--missed)}
.card.not_checked{border-style:dashed;border-color:var(--unknown)}
.card ul{margin:.3em 0 0 1.1em;padding:0;font-size:.9em}
.v-full{color:var(--met);font-weight:700}.v-none{color:var(--missed);font-weight:700}
.v-partial{color:#7a4f00;font-weight:700}.v-not_checked{color:var(--unknown);font-weight:700}
table.matrix td,table.matrix th{padding:1px 2px;text-align:center;min-width:1.5em}
table.matrix th.o,table.matrix td.o{text-align:left;min-width:12em}
table.matrix th.w{font-weight:400;font-size:.75em;writing-mode:vertical-rl;transform:rotate(180deg)}
.s-met{background:#c8e6c9;color:#1b5e20}.s-missed{background:#ffcdd2;color:#8e0000;font-weight:700}
.s-in_progress{background:#fff3c4;color:#5d4300}.s-unknown{background:#e0e0e0;color:#333}
.s-none{background:#fff}
.legend span.sym{display:inline-block;min-width:1.6em;text-align:center;border:1px solid #999;
 margin:0 .3em 0 1em}
img.chart{width:100%;min-width:520px;max-width:900px;height:auto;display:block;margin:.6em 0}
.url{word-break:break-all;color:#333}
a{color:#0b4f9c;word-break:break-word}
footer{margin-top:2em;color:#444;font-size:.85em;border-top:1px solid #999}
@media (max-width:600px){body{font-size:14px;padding:8px}.card .big{font-size:1.7em}}
"""

PRINT = """
@page{size:A4;margin:18mm 12mm 14mm 12mm;
 @top-left{content:HEAD;font-size:9pt;color:#333}
 @bottom-right{content:counter(page) " / " counter(pages);font-size:9pt}}
@media print{
 body{max-width:none;padding:0;font-size:10pt}
 .scroll{overflow:visible}
 h2,h3{break-after:avoid}
 table{break-inside:auto}tr,img.chart,.card{break-inside:avoid}
 thead{display:table-header-group}
 table.keep,.cards{break-inside:avoid}
 table.matrix{font-size:7.5pt}
 a{color:#000;text-decoration:none}
 section{break-before:auto}
 *{-webkit-print-color-adjust:exact;print-color-adjust:exact}
}
"""


def stylesheet(head: str) -> str:
    """head: the running page header in print (campaign and period)."""
    return font_faces() + SCREEN.replace("FAMILY", FAMILY) + PRINT.replace("HEAD", css_string(head))
