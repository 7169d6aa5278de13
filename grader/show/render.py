#!/usr/bin/python3
"""render.py: turns a recorded trace into one self-contained HTML page.

Usage: render.py TRACE SOURCE --out PAGE [--title T]
                 [--lessons URL] [--ascii] [--summary FILE] [--problem-svg FILE]

Rules:
 1. The trace was written inside the sandbox, next to the learner's code: it
    is hostile input. It is read with a size cap, every field is coerced to
    the type expected, and every string, like the learner's source, reaches
    Graphviz and the page only as printable ASCII, HTML-escaped.
 2. One Graphviz graph a step, all laid out by one `dot -Tsvg` process
    (limited in CPU time; wall-clock time is only a backstop): the
    stack as a column of frame records on the left, the heap on the right,
    an edge for each pointer. Each problem has its own colour (PROBLEMS),
    and the page links it to the lesson section that explains it.
 3. The page needs no server and no network: the SVGs are inline, the
    script is inline and the only one the page's Content-Security-Policy
    lets run.
 4. --ascii prints the first step with a problem in the lessons' ASCII style;
    --problem-svg writes that step's drawing alone, as an SVG file (the
    lessons' pictures: grader/show/lesson-pictures.sh);
    --summary writes what was drawn (frames, blocks, edges, problems by
    step) as JSON, for the course's own checks.
"""
import argparse
import base64
import hashlib
import html
import json
import resource
import subprocess
import sys

TRACE_MAX_BYTES = 32 << 20
STEPS_MAX = 400
TEXT_MAX = 80
DOT_CPU_S = 60      # CPU seconds Graphviz may use for all the steps
WALL_FACTOR = 10    # the wall-clock backstop, as in course_protocol.h

# kind: (colour, label, lesson section)
PROBLEMS = {
    "leak": ("#d62728", "leak", "02-heap/README.md#leaks"),
    "dangling_freed": ("#ff7f0e", "dangling pointer to a freed block",
                       "02-heap/README.md#use-after-free"),
    "dangling_local": ("#9467bd", "dangling pointer to a returned frame",
                       "01-stack-frames/README.md#dangling-pointers-to-locals"),
    "overflow": ("#e6550d", "write past the end of a block",
                 "02-heap/README.md#writing-past-the-end-of-a-block"),
    "double_free": ("#8c564b", "double free",
                    "02-heap/README.md#double-free-and-invalid-free"),
}
SECTION_TITLES = {
    "leak": "Leaks", "dangling_freed": "Use after free",
    "dangling_local": "Dangling pointers to locals",
    "overflow": "Writing past the end of a block",
    "double_free": "Double free and invalid free",
}


def clean(value, limit=TEXT_MAX):
    """Any value as printable ASCII, at most @p limit characters."""
    text = value if isinstance(value, str) else str(value)
    out = "".join(c if 32 <= ord(c) < 127 else "\\x%02x" % (ord(c) & 0xFF) for c in text)
    return out if len(out) <= limit else out[:limit - 3] + "..."


def esc(value, limit=TEXT_MAX):
    return html.escape(clean(value, limit), quote=True)


def num(value, default=0):
    try:
        return int(value)
    except (TypeError, ValueError):
        try:
            return int(str(value), 16)
        except (TypeError, ValueError):
            return default


def ident(value):
    """A block id as a Graphviz-safe name."""
    return "b" + "".join(c for c in clean(value, 24) if c.isalnum())


def load_trace(path):
    with open(path, "rb") as f:
        data = f.read(TRACE_MAX_BYTES + 1)
    if len(data) > TRACE_MAX_BYTES:
        data = data[:TRACE_MAX_BYTES]
    steps, end = [], {"end": "the trace ends early"}
    for raw in data.split(b"\n"):
        try:
            record = json.loads(raw.decode("utf-8", "replace"))
        except ValueError:
            continue
        if not isinstance(record, dict):
            continue
        if "step" in record and len(steps) < STEPS_MAX:
            steps.append(record)
        elif "end" in record:
            end = record
    return steps, end


def as_list(value):
    return value if isinstance(value, list) else []


def as_dict(value):
    return value if isinstance(value, dict) else {}


class Graph:
    """One step's Graphviz graph."""

    def __init__(self, step, index):
        self.step = step
        self.index = index
        self.nodes = []
        self.edges = []
        self.summary = {"frames": [], "blocks": [], "edges": [], "problems": []}
        self.problem_blocks = {}
        for p in as_list(step.get("problems")):
            p = as_dict(p)
            kind = clean(p.get("kind"), 20)
            if kind in PROBLEMS:
                self.summary["problems"].append(kind)
                if p.get("block"):
                    self.problem_blocks[ident(p.get("block"))] = kind
        self.leaked = {ident(b) for b in as_list(step.get("leaked"))}
        self.edge_n = 0

    # A value as table cells; pointers become ports with edges.
    def cell(self, value, port, source, depth=0):
        v = as_dict(value)
        k = v.get("k")
        if k == "ptr":
            return self.pointer(v, port, source)
        if k in ("num", "fn", "other"):
            return esc(v.get("t"), 24)
        if k == "text":
            return "&quot;%s&quot;" % esc(v.get("t"), 40)
        if k == "bytes":
            return esc(v.get("t"), 48)
        if k == "bad":
            return "<I>unreadable</I>"
        if k == "more":
            return "..."
        if k in ("struct", "array") and depth < 3:
            rows = []
            items = [(clean(n, 24), f) for n, f in
                     (x for x in as_list(v.get("f")) if isinstance(x, list) and len(x) == 2)]
            if k == "array":
                items = [("[%d]" % i, e) for i, e in enumerate(as_list(v.get("e"))[:16])]
            for i, (name, field) in enumerate(items):
                sub = "%s_%d" % (port, i)
                rows.append('<TR><TD ALIGN="LEFT">%s</TD><TD PORT="%s">%s</TD></TR>'
                            % (html.escape(name), sub, self.cell(field, sub, source, depth + 1)))
            more = num(v.get("n")) - len(items) if k == "array" else 0
            if more > 0:
                rows.append('<TR><TD COLSPAN="2">... %d more</TD></TR>' % more)
            if not rows:
                return "{}"
            return '<TABLE BORDER="0" CELLBORDER="1" CELLSPACING="0">%s</TABLE>' % "".join(rows)
        return "?"

    def pointer(self, v, port, source):
        to = v.get("to")
        if to == "null":
            return "NULL"
        if to == "text":
            return "&quot;%s&quot;" % esc(v.get("t"), 32)
        colour, style, target, kind = "#1f3b73", "solid", None, None
        if to == "block":
            target = ident(v.get("id"))
            if target in self.leaked:
                colour = PROBLEMS["leak"][0]
        elif to == "freed":
            target = "freed_" + ident(v.get("id"))
            kind = "dangling_freed"
        elif to == "var":
            target = "frame%d:v%s" % (num(v.get("frame")), ident(v.get("var")))
        elif to == "dead":
            target = "dead"
            kind = "dangling_local"
        if kind:
            colour, style = PROBLEMS[kind][0], "bold"
        if target is None:
            return esc(v.get("a"), 20)
        self.edges.append('%s:%s:c -> %s [color="%s", style=%s%s];'
                          % (source, port, target, colour, style,
                             ', penwidth=2' if kind else ''))
        self.summary["edges"].append({"from": source, "to": target.split(":")[0],
                                      "kind": kind or "pointer"})
        return "&#9679;"

    def frames(self):
        rows = []
        for i, frame in enumerate(as_list(self.step.get("frames"))[:16]):
            frame = as_dict(frame)
            name = "frame%d" % i
            test = frame.get("file") == "test"
            head = "%s%s, line %d" % (esc(frame.get("func"), 40), " (test)" if test else "",
                                      num(frame.get("line")))
            cells = ['<TR><TD COLSPAN="2" BGCOLOR="%s"><B>%s</B></TD></TR>'
                     % ("#e8e8e8" if test else "#cfe0f5", head)]
            if num(frame.get("folded_before")):
                cells.insert(0, '<TR><TD COLSPAN="2"><I>... %d frames folded ...</I></TD></TR>'
                             % num(frame.get("folded_before")))
            for var in as_list(frame.get("vars"))[:24]:
                var = as_dict(var)
                port = "v" + ident(var.get("name"))
                cells.append('<TR><TD ALIGN="LEFT">%s %s</TD><TD PORT="%s">%s</TD></TR>'
                             % (esc(var.get("type"), 32), esc(var.get("name"), 32), port,
                                self.cell(var.get("v"), port, name)))
            if "returned" in frame:
                cells.append('<TR><TD ALIGN="LEFT"><I>returns</I></TD><TD PORT="ret">%s</TD></TR>'
                             % self.cell(frame.get("returned"), "ret", name))
            self.nodes.append('%s [label=<<TABLE BORDER="1" CELLBORDER="1" CELLSPACING="0" '
                              'CELLPADDING="4">%s</TABLE>>];' % (name, "".join(cells)))
            rows.append(name)
            self.summary["frames"].append(clean(frame.get("func"), 120))
        return rows

    def blocks(self):
        names = []
        for block in as_list(self.step.get("blocks"))[:40]:
            block = as_dict(block)
            name = ident(block.get("id"))
            kind = self.problem_blocks.get(name)
            leaked = name in self.leaked
            colour = PROBLEMS["leak"][0] if leaked else PROBLEMS[kind][0] if kind else "#f5f0d6"
            site = num(block.get("site"))
            head = "%d bytes%s: %s" % (num(block.get("size")),
                                       ", line %d" % site if site else "",
                                       esc(block.get("type"), 40))
            if leaked:
                head += " &#8212; LEAKED"
            elif kind:
                head += " &#8212; " + html.escape(PROBLEMS[kind][1])
            body = self.cell(block.get("v"), "p", name)
            self.nodes.append('%s [label=<<TABLE BORDER="1" CELLBORDER="0" CELLSPACING="0" '
                              'CELLPADDING="4" COLOR="%s"><TR><TD BGCOLOR="%s"><FONT COLOR="%s">'
                              '<B>%s</B></FONT></TD></TR><TR><TD PORT="p">%s</TD></TR></TABLE>>];'
                              % (name, colour if (leaked or kind) else "black", colour,
                                 "white" if (leaked or kind) else "black", head, body))
            names.append(name)
            self.summary["blocks"].append({"id": name, "size": num(block.get("size")),
                                           "type": clean(block.get("type"), 40),
                                           "leaked": leaked, "problem": kind})
        for block in as_list(self.step.get("freed"))[:40]:
            block = as_dict(block)
            name = "freed_" + ident(block.get("id"))
            self.nodes.append('%s [shape=box, style="dashed", color="%s", fontcolor="%s", '
                              'label="freed block (%d bytes)"];'
                              % (name, PROBLEMS["dangling_freed"][0],
                                 PROBLEMS["dangling_freed"][0], num(block.get("size"))))
            names.append(name)
        more = num(self.step.get("more_blocks"))
        if more:
            self.nodes.append('moreblocks [shape=plaintext, label="... %d more blocks"];' % more)
        return names

    def dot(self):
        frames = self.frames()
        blocks = self.blocks()
        if any(e.split(" -> ")[1].startswith("dead ") for e in self.edges):
            self.nodes.append('dead [shape=box, style="dashed", color="%s", fontcolor="%s", '
                              'label="a frame that has returned"];'
                              % ((PROBLEMS["dangling_local"][0],) * 2))
        out = ["digraph step%d {" % self.index,
               'graph [rankdir=LR, nodesep=0.25, ranksep=0.9, fontname="Helvetica"];',
               'node [shape=plaintext, fontname="Helvetica", fontsize=11];',
               'edge [arrowsize=0.7];',
               'subgraph cluster_stack { label="Stack"; color="#9bb4d6";']
        # A returned frame was stack: it is drawn below the live frames.
        stack = [n for n in self.nodes if n.startswith(("frame", "dead "))]
        out += stack
        for a, b in zip(frames, frames[1:]):
            out.append("%s -> %s [style=invis];" % (a, b))
        out.append("}")
        out.append('subgraph cluster_heap { label="Heap"; color="#d6c99b";')
        out += [n for n in self.nodes if n not in stack]
        out.append("}")
        out += self.edges
        out.append("}")
        self.summary["blocks_drawn"] = blocks
        return "\n".join(out)


def dot_limits():
    """In Graphviz's process: the CPU it may use (the limit that decides)."""
    resource.setrlimit(resource.RLIMIT_CPU, (DOT_CPU_S, DOT_CPU_S))


def render_svgs(dots):
    """Lays out every step with one dot process; returns one SVG each."""
    try:
        result = subprocess.run(["dot", "-Tsvg"], input="\n".join(dots).encode(),
                                capture_output=True, timeout=DOT_CPU_S * WALL_FACTOR,
                                check=False, preexec_fn=dot_limits)
    except subprocess.TimeoutExpired:
        raise SystemExit("render: Graphviz did not get %d s of CPU in %d s: the machine is "
                         "too busy; run make show again later" % (DOT_CPU_S,
                                                                   DOT_CPU_S * WALL_FACTOR))
    text = result.stdout.decode("utf-8", "replace")
    svgs = []
    for part in text.split("<svg")[1:]:
        body = part.split("</svg>")[0]
        svgs.append("<svg" + body + "</svg>")
    if len(svgs) != len(dots):
        raise SystemExit("render: dot drew %d of %d steps: %s"
                         % (len(svgs), len(dots), clean(result.stderr.decode(), 300)))
    return svgs


SCRIPT = """
const steps = document.querySelectorAll('.step');
let at = 0;
function show(n) {
  at = Math.max(0, Math.min(steps.length - 1, n));
  steps.forEach((s, i) => { s.hidden = i !== at; });
  document.getElementById('where').textContent = 'step ' + (at + 1) + ' of ' + steps.length;
  const line = steps[at].dataset.line, file = steps[at].dataset.file;
  document.querySelectorAll('.src span').forEach(l => l.classList.remove('now'));
  if (file === 'learner') {
    const el = document.getElementById('L' + line);
    if (el) { el.classList.add('now'); el.scrollIntoView({block: 'nearest'}); }
  }
  location.hash = 's' + (at + 1);
}
document.getElementById('prev').onclick = () => show(at - 1);
document.getElementById('next').onclick = () => show(at + 1);
document.getElementById('first').onclick = () => show(0);
document.getElementById('problem').onclick = () => {
  for (let i = at + 1; i < steps.length; i++) if (steps[i].dataset.problem) return show(i);
  for (let i = 0; i < steps.length; i++) if (steps[i].dataset.problem) return show(i);
};
document.addEventListener('keydown', e => {
  if (e.key === 'ArrowRight') show(at + 1);
  if (e.key === 'ArrowLeft') show(at - 1);
});
const m = /^#s(\\d+)$/.exec(location.hash);
show(m ? parseInt(m[1], 10) - 1 : 0);
"""

STYLE = """
body { font-family: Helvetica, Arial, sans-serif; margin: 1em; color: #222; }
nav button { font-size: 1em; margin-right: .4em; }
.cols { display: flex; gap: 1.5em; align-items: flex-start; }
.src { font-size: 12px; max-height: 80vh; overflow: auto; border: 1px solid #ccc;
       padding: .5em; min-width: 32em; }
.src span { display: block; white-space: pre; }
.src span.now { background: #ffe28a; }
.problem { padding: .3em .6em; color: white; margin: .3em 0; border-radius: 3px; }
.problem a { color: white; }
.legend span { display: inline-block; padding: 0 .5em; color: white; margin-right: .3em;
               border-radius: 3px; }
.step svg { max-width: 100%; height: auto; }
"""


def source_lines(path):
    try:
        with open(path, "rb") as f:
            data = f.read(1 << 20)
    except OSError:
        return []
    return data.decode("utf-8", "replace").split("\n")[:5000]


def page(title, steps, svgs, source, lessons, end):
    script_hash = base64.b64encode(hashlib.sha256(SCRIPT.encode()).digest()).decode()
    out = ['<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">',
           '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; '
           'img-src data:; style-src \'unsafe-inline\'; script-src \'sha256-%s\'">' % script_hash,
           "<title>%s</title><style>%s</style></head><body>" % (esc(title, 120), STYLE),
           "<h1>%s</h1>" % esc(title, 120),
           '<p class="legend">',
           "".join('<span style="background:%s">%s</span>' % (c, html.escape(label))
                   for c, label, _ in PROBLEMS.values()),
           "</p><nav><button id=\"first\">first</button><button id=\"prev\">&#8592; previous"
           "</button><button id=\"next\">next &#8594;</button><button id=\"problem\">"
           "next problem</button> <span id=\"where\"></span></nav>",
           '<noscript><p>Without JavaScript every step is shown, one after another.</p>'
           '<style>.step[hidden] { display: block !important; }</style></noscript>',
           '<div class="cols"><div>']
    for i, (step, svg) in enumerate(zip(steps, svgs)):
        file = "learner" if step.get("file") == "learner" else "test"
        line = num(step.get("line"))
        problems = [as_dict(p) for p in as_list(step.get("problems"))
                    if as_dict(p).get("kind") in PROBLEMS]
        event = {"return": "returned to the test", "signal": "the test was stopped by a signal",
                 "double_free": "free() called",
                 "assert": "a check of the test failed"}.get(step.get("event"), "about to run")
        where = ("line %d of your file" if file == "learner" else "line %d of the test") % line
        out.append('<div class="step" id="s%d" data-line="%d" data-file="%s"%s hidden>'
                   % (i + 1, line, file, ' data-problem="1"' if problems else ""))
        text = ""
        if file == "learner" and 0 < line <= len(source):
            text = ": <code>%s</code>" % esc(source[line - 1].strip(), 100)
        folded = num(step.get("folded"))
        out.append("<p><b>Step %d</b>: %s, %s%s%s</p>"
                   % (i + 1, event, where, text,
                      " (%d repeated steps folded before this one)" % folded if folded else ""))
        if step.get("event") == "assert" and step.get("note"):
            out.append("<p>The test says: <i>%s</i></p>" % esc(step.get("note"), 300))
        for p in problems:
            colour, label, section = PROBLEMS[p["kind"]]
            out.append('<p class="problem" style="background:%s"><b>%s</b>: %s. Read '
                       '<a href="%s/%s">%s</a>.</p>'
                       % (colour, html.escape(label), esc(p.get("text"), 200), esc(lessons, 200),
                          section, SECTION_TITLES[p["kind"]]))
        out.append(svg)
        out.append("</div>")
    out.append("<p><i>%s</i></p>" % esc(end.get("end"), 200))
    out.append('</div><div class="src"><b>your file</b>')
    for n, text in enumerate(source, 1):
        out.append('<span id="L%d">%4d  %s</span>' % (n, n, esc(text, 200)))
    out.append("</div></div><script>%s</script></body></html>" % SCRIPT)
    return "\n".join(out)


def ascii_step(step, index, source):
    """The step as the lessons draw memory: frames above, blocks beside."""
    lines = []
    file = step.get("file")
    line = num(step.get("line"))
    lines.append("step %d, %s line %d" % (index + 1, "your file" if file == "learner"
                                          else "the test", line))
    if file == "learner" and 0 < line <= len(source):
        lines.append("    %s" % clean(source[line - 1].strip(), 100))
    lines.append("")
    lines.append("  %-44s %s" % ("stack", "heap"))
    frames = [as_dict(f) for f in as_list(step.get("frames"))][:6]
    leaked = set(clean(b) for b in as_list(step.get("leaked")))
    marked = leaked | {clean(as_dict(p).get("block")) for p in as_list(step.get("problems"))}
    # The blocks a problem names first: the drawing keeps twelve.
    blocks = sorted((as_dict(b) for b in as_list(step.get("blocks"))),
                    key=lambda b: clean(b.get("id")) not in marked)[:12]
    left = []
    for f in frames:
        left.append("+-- %s " % clean(f.get("func"), 24))
        for v in as_list(f.get("vars"))[:8]:
            v = as_dict(v)
            left.append("| %-12s %s" % (clean(v.get("name"), 12), ascii_value(v.get("v"))))
        left.append("+" + "-" * 30)
    right = []
    for b in blocks:
        tag = " LEAKED" if clean(b.get("id")) in leaked else ""
        v = as_dict(b.get("v"))
        text = ' "%s"' % clean(v.get("t"), 12) if v.get("k") == "text" else ""
        right.append("[%s: %d bytes%s%s]" % (clean(b.get("id"), 16), num(b.get("size")), text,
                                              tag))
    for f in as_list(step.get("freed")):
        right.append("[%s: freed]" % clean(as_dict(f).get("id"), 16))
    for i in range(max(len(left), len(right))):
        a = left[i] if i < len(left) else ""
        b = right[i] if i < len(right) else ""
        lines.append("  %-44s %s" % (a[:44], b))
    for p in as_list(step.get("problems")):
        p = as_dict(p)
        if p.get("kind") in PROBLEMS:
            lines.append("  ^ %s: %s" % (PROBLEMS[p["kind"]][1], clean(p.get("text"), 160)))
    return "\n".join(lines)


def ascii_value(value):
    v = as_dict(value)
    k = v.get("k")
    if k == "ptr":
        to = v.get("to")
        if to == "null":
            return "NULL"
        if to == "block":
            return "--> %s" % clean(v.get("id"), 16)
        if to == "freed":
            return "--> %s (FREED)" % clean(v.get("id"), 16)
        if to == "dead":
            return "--> a returned frame"
        if to == "var":
            return "--> %s" % clean(v.get("var"), 16)
        return clean(v.get("a") or v.get("t"), 20)
    if k == "text":
        return '"%s"' % clean(v.get("t"), 20)
    if k in ("num", "other", "fn"):
        return clean(v.get("t"), 20)
    return "{...}" if k in ("struct", "array") else "?"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("trace")
    parser.add_argument("source")
    parser.add_argument("--out", required=True)
    parser.add_argument("--title", default="make show")
    parser.add_argument("--lessons", default="../../../lessons")
    parser.add_argument("--ascii", action="store_true")
    parser.add_argument("--summary")
    parser.add_argument("--problem-svg")
    args = parser.parse_args()
    steps, end = load_trace(args.trace)
    if not steps:
        print("render: the recording has no step: %s" % clean(end.get("end"), 200),
              file=sys.stderr)
        return 1
    graphs = [Graph(step, i) for i, step in enumerate(steps)]
    dots = [g.dot() for g in graphs]
    svgs = render_svgs(dots)
    source = source_lines(args.source)
    with open(args.out, "w", encoding="utf-8") as f:
        f.write(page(args.title, steps, svgs, source, args.lessons, end))
    first = next((i for i, g in enumerate(graphs) if g.summary["problems"]), None)
    if args.summary:
        with open(args.summary, "w", encoding="utf-8") as f:
            json.dump({"steps": [dict(g.summary, line=num(s.get("line")), file=clean(s.get("file")),
                                      event=clean(s.get("event"), 20))
                                 for g, s in zip(graphs, steps)],
                       "first_problem": first, "end": clean(end.get("end"), 200)}, f)
    if args.problem_svg and first is not None:
        with open(args.problem_svg, "w", encoding="utf-8") as f:
            f.write('<?xml version="1.0" encoding="UTF-8" standalone="no"?>\n%s\n' % svgs[first])
    if args.ascii and first is not None:
        print(ascii_step(steps[first], first, source))
    return 0


if __name__ == "__main__":
    sys.exit(main())
