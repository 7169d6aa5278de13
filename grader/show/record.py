# record.py: records the memory of one test, step by step, inside GDB.
#
# Runs in GDB's embedded Python (`gdb -batch -nx -x record.py --args TESTBIN
# --run ...`), inside the grader's sandbox, as the sandbox's uid: the
# learner's code is the inferior, and nothing here is trusted by the page
# renderer (render.py re-checks and escapes everything it reads).
#
# Rules:
#  1. A step is a stop at a breakpoint on a line of the learner's file (every
#     line the line table has), the return of a learner function to the
#     test (a finish breakpoint), a failed check of the test (the harness's
#     report_failure(), with its message), or a fatal signal. The state is
#     read before the line runs, as Python Tutor shows it.
#  2. The heap is the course allocator's own set of live learner blocks
#     (grader/harness/alloc_faults.c: `state.slots`, addresses kept inverted,
#     with the size asked for), read at every step. A block that appears was
#     allocated by the line before; one that disappears was freed.
#  3. Problems, each at the step where it first shows:
#     - leak: a live block that no word points into (memcheck's rule,
#       scanned conservatively) of: the stack of the learner's and the
#       test's frames, the registers at a learner's line, the value
#       returned, the globals, and the blocks so reached;
#     - dangling (freed): a drawn pointer into a block that was freed;
#     - dangling (local): a drawn pointer into stack below the live frames;
#     - overflow: the slack bytes after a block's end (up to glibc's usable
#       size), filled with a canary when the block appears, changed;
#     - double free: free() of a block that was already freed.
#  4. Bounds: at most MAX_STOPS stops are analysed and MAX_STEPS drawn; a
#     line hit more than LOOP_KEEP times in one call is folded (not drawn
#     unless a problem appears, and a folded stop reads the heap's set but
#     not the blocks' contents); at most FRAMES_KEEP frames of a recursion,
#     BLOCKS_KEEP blocks and ELEMS_KEEP elements a block are drawn. CPU time
#     is bounded outside (RLIMIT_CPU on this process and the test's).
#  5. Nothing here counts wall-clock time, but the course's blocked rule
#     (course_protocol.h): a test whose every thread sleeps on its own (not
#     held by GDB) for BLOCKED_S in a row waits for something that never
#     comes, and is stopped (Blocked).
#
# Configuration comes from the environment: SHOW_LEARNER (the learner's
# source file name, e.g. strset.c), SHOW_TRACE (where to write the JSON).
import array
import bisect
import json
import os
import re
import resource
import signal
import struct
import threading
import time

import gdb

MAX_STOPS = 20000
MAX_STEPS = 300
LOOP_KEEP = 3
FRAMES_KEEP = 6
BLOCKS_KEEP = 40
ELEMS_KEEP = 16
TEXT_KEEP = 64
DEPTH_KEEP = 3
BLOCKED_S = 10.0
CANARY = 0xA5
LEARNER = os.environ.get("SHOW_LEARNER", "")
TRACE = os.environ.get("SHOW_TRACE", "trace.json")
REGS = ("rax", "rbx", "rcx", "rdx", "rsi", "rdi", "rbp", "r8", "r9", "r10",
        "r11", "r12", "r13", "r14", "r15")


def is_learner(symtab):
    return symtab is not None and symtab.filename.endswith("/learner/" + LEARNER)


def is_test(symtab):
    return symtab is not None and symtab.filename.endswith("_test.c")


def frame_file(frame):
    try:
        return frame.find_sal().symtab
    except RuntimeError:
        return None


def u64(data, off=0):
    return struct.unpack_from("<Q", data, off)[0]


class Heap:
    """The course allocator's live blocks, and what this recording saw."""

    def __init__(self):
        self.state = gdb.parse_and_eval("'alloc_faults.c'::state")
        self.live = {}     # address -> size
        self.freed = {}    # address -> size, blocks freed and not reused
        self.site = {}     # address -> line that allocated it
        self.canary = {}   # address -> (start, length) of the slack filled
        self.starts = []   # sorted live addresses, for lookups
        self.key = {}      # address -> the word glibc left at +8 when it was freed
        self.types = {}    # address -> the element type a pointer gave it

    def word(self, addr):
        try:
            return u64(bytes(gdb.selected_inferior().read_memory(addr, 8)))
        except gdb.MemoryError:
            return None

    def still_free(self, addr):
        """Whether a freed block is still as free() left it: glibc's tcache
        marks a free chunk with a key word at +8, which malloc clears; a
        block some non-learner malloc took back is not freed twice."""
        key = self.key.get(addr)
        return key is not None and key != 0 and self.word(addr + 8) == key

    def read(self):
        inf = gdb.selected_inferior()
        cap = int(self.state["capacity"])
        blocks = {}
        if cap:
            base = int(self.state["slots"])
            words = array.array("Q", bytes(inf.read_memory(base, 16 * cap)))
            for i in range(0, 2 * cap, 2):
                if words[i] > 1:
                    blocks[~words[i] & 0xFFFFFFFFFFFFFFFF] = words[i + 1]
        return blocks

    def update(self, line):
        """Reads the set; returns (new addresses, freed addresses)."""
        now = self.read()
        born = [a for a in now if a not in self.live or self.live[a] != now[a]]
        gone = [a for a in self.live if a not in now]
        for a in gone:
            self.types.pop(a, None)
            self.freed[a] = self.live[a]
            self.key[a] = self.word(a + 8)
            self.canary.pop(a, None)
        for a in born:
            self.types.pop(a, None)
            self.freed.pop(a, None)
            if a not in self.live:
                self.site[a] = line
            self.canary_fill(a, now[a])
        self.live = now
        self.starts = sorted(now)
        return born, gone

    def canary_fill(self, addr, size):
        """Fills the slack after the block, up to glibc's usable size."""
        inf = gdb.selected_inferior()
        try:
            head = u64(bytes(inf.read_memory(addr - 8, 8)))
        except gdb.MemoryError:
            return
        chunk = head & ~7
        usable = chunk - (16 if head & 2 else 8)
        slack = min(usable - size, 64)
        if slack <= 0 or usable > (1 << 30):
            return
        inf.write_memory(addr + size, bytes([CANARY]) * slack)
        self.canary[addr] = (addr + size, slack)

    def overflows(self):
        inf = gdb.selected_inferior()
        hit = []
        for addr, (start, length) in list(self.canary.items()):
            try:
                data = bytes(inf.read_memory(start, length))
            except gdb.MemoryError:
                continue
            if data != bytes([CANARY]) * length:
                n = len(data) - len(data.lstrip(bytes([CANARY]))) if data[0] == CANARY else 0
                first = next(i for i, b in enumerate(data) if b != CANARY)
                hit.append((addr, first + 1))
                del self.canary[addr]
        return hit

    def find(self, value):
        """The live block that holds address @p value, or None."""
        i = bisect.bisect_right(self.starts, value) - 1
        if i >= 0:
            start = self.starts[i]
            if value < start + max(self.live[start], 1):
                return start
        return None

    def find_freed(self, value):
        for start, size in self.freed.items():
            if start <= value < start + max(size, 1):
                return start
        return None


def type_name(t):
    try:
        return str(t)
    except gdb.error:
        return "?"


def text_of(data):
    """Bytes up to the first NUL, printable ASCII kept, the rest escaped."""
    out = []
    for b in data:
        if b == 0:
            break
        out.append(chr(b) if 32 <= b < 127 and b != 92 else "\\x%02x" % b)
    return "".join(out)


class Snapshot:
    """The memory at one stop: frames, blocks, pointers, problems."""

    def __init__(self, rec, ret=None, precise=False):
        self.rec = rec
        self.precise = precise
        self.heap = rec.heap
        self.inf = gdb.selected_inferior()
        self.frames = []      # drawn frames, newest first
        self.var_ranges = []  # (start, end, frame index, name)
        self.block_type = {}  # address -> gdb type of its elements
        self.queue = []       # blocks to type, in order found
        self.dangling = []    # (kind, where, address)
        self.ret = ret
        self.sp = int(gdb.newest_frame().read_register("rsp"))
        # The red zone below a leaf frame is live while it runs; once a
        # function has returned, everything below the stack pointer is dead.
        self.live_low = self.sp - (128 if ret is None else 0)

    # --- pointers -------------------------------------------------------
    def point(self, value, target, where):
        """Describes pointer @p value of target type @p target."""
        v = int(value)
        if v == 0:
            return {"k": "ptr", "to": "null"}
        out = {"k": "ptr", "a": hex(v)}
        block = self.heap.find(v)
        if block is not None:
            out.update(to="block", id=hex(block), off=v - block)
            t = target.strip_typedefs() if target is not None else None
            if v == block and t is not None and t.code != gdb.TYPE_CODE_VOID \
                    and block not in self.block_type and t.sizeof > 0:
                self.block_type[block] = target
                self.heap.types[block] = target
                self.queue.append(block)
            return out
        lo, hi = self.rec.stack
        if self.live_low <= v < hi:
            for start, end, f, name in self.var_ranges:
                if start <= v < end:
                    out.update(to="var", frame=f, var=name, off=v - start)
                    return out
            out.update(to="stack")
            return out
        if lo <= v < self.live_low:
            out.update(to="dead")
            self.dangling.append(("dangling_local", where, v))
            return out
        freed = self.heap.find_freed(v)
        if freed is not None:
            out.update(to="freed", id=hex(freed), off=v - freed)
            self.dangling.append(("dangling_freed", where, freed))
            return out
        t = target.strip_typedefs() if target is not None else None
        if t is not None and t.code in (gdb.TYPE_CODE_INT, gdb.TYPE_CODE_CHAR) and t.sizeof == 1:
            try:
                out.update(to="text", t=text_of(bytes(self.inf.read_memory(v, TEXT_KEEP))))
                return out
            except gdb.MemoryError:
                pass
        out.update(to="other")
        return out

    # --- values -------------------------------------------------------
    def describe(self, value, where, depth=0):
        try:
            t = value.type.strip_typedefs()
            code = t.code
            if code == gdb.TYPE_CODE_PTR:
                target = t.target()
                if target.strip_typedefs().code == gdb.TYPE_CODE_FUNC:
                    return {"k": "fn", "t": str(value)[:TEXT_KEEP]}
                return self.point(value, target, where)
            if code in (gdb.TYPE_CODE_STRUCT, gdb.TYPE_CODE_UNION):
                if depth >= DEPTH_KEEP:
                    return {"k": "more"}
                fields = []
                for f in t.fields()[:ELEMS_KEEP]:
                    if f.name is None or not hasattr(f, "bitpos"):
                        continue
                    fields.append([f.name, self.describe(value[f.name], where + "." + f.name,
                                                         depth + 1)])
                return {"k": "struct", "f": fields}
            if code == gdb.TYPE_CODE_ARRAY:
                n = t.sizeof // max(t.target().sizeof, 1)
                elem = t.target().strip_typedefs()
                if elem.sizeof == 1 and elem.code in (gdb.TYPE_CODE_INT, gdb.TYPE_CODE_CHAR):
                    data = bytes(self.inf.read_memory(value.address, min(n, TEXT_KEEP)))
                    return {"k": "text", "t": text_of(data), "n": n}
                if depth >= DEPTH_KEEP:
                    return {"k": "more"}
                items = [self.describe(value[i], "%s[%d]" % (where, i), depth + 1)
                         for i in range(min(n, ELEMS_KEEP))]
                return {"k": "array", "e": items, "n": n}
            if code in (gdb.TYPE_CODE_INT, gdb.TYPE_CODE_CHAR, gdb.TYPE_CODE_BOOL,
                        gdb.TYPE_CODE_ENUM, gdb.TYPE_CODE_FLT):
                return {"k": "num", "t": str(value)[:TEXT_KEEP]}
            return {"k": "other", "t": str(value)[:TEXT_KEEP]}
        except (gdb.MemoryError, gdb.error, RuntimeError, ValueError, OverflowError):
            return {"k": "bad"}

    # --- frames -------------------------------------------------------
    def frame_vars(self, frame, line):
        """The arguments and the locals in scope whose declaration is behind."""
        out = []
        try:
            block = frame.block()
        except RuntimeError:
            return out
        seen = set()
        while block is not None:
            for sym in block:
                if not (sym.is_argument or sym.is_variable) or sym.name in seen:
                    continue
                if not sym.is_argument and sym.addr_class == gdb.SYMBOL_LOC_STATIC:
                    continue
                if not sym.is_argument and sym.line >= line:
                    continue
                seen.add(sym.name)
                out.append(sym)
            if block.function is not None:
                break
            block = block.superblock
        args = [s for s in out if s.is_argument]
        return args + [s for s in out if not s.is_argument]

    def read_frames(self):
        chosen = []
        frame = gdb.newest_frame()
        while frame is not None:
            symtab = frame_file(frame)
            if is_learner(symtab) or is_test(symtab):
                chosen.append((frame, is_test(symtab)))
                if is_test(symtab):
                    break
            frame = frame.older()
        folded = 0
        if len(chosen) > FRAMES_KEEP + 1:
            keep = FRAMES_KEEP // 2
            folded = len(chosen) - 2 * keep - 1
            chosen = chosen[:keep] + chosen[-keep - 1:]
        self.test_frame = chosen[-1][0] if chosen and chosen[-1][1] else None
        syms = []
        for i, (frame, test) in enumerate(chosen):
            sal = frame.find_sal()
            fn = frame.function()
            entry = {"func": fn.name if fn else "?", "line": sal.line,
                     "file": "test" if test else "learner", "vars": []}
            if folded and i == FRAMES_KEEP // 2:
                entry["folded_before"] = folded
            self.frames.append(entry)
            for sym in self.frame_vars(frame, sal.line):
                try:
                    val = sym.value(frame)
                    addr = int(val.address) if val.address is not None else 0
                except (gdb.error, RuntimeError):
                    continue
                size = val.type.sizeof
                if addr:
                    self.var_ranges.append((addr, addr + max(size, 1), i, sym.name))
                syms.append((i, sym, val, addr))
        for i, sym, val, addr in syms:
            self.frames[i]["vars"].append({
                "name": sym.name, "type": type_name(sym.type), "addr": hex(addr),
                "arg": bool(sym.is_argument),
                "v": self.describe(val, "%s:%s" % (self.frames[i]["func"], sym.name))})
        if self.ret is not None and self.frames:
            self.frames[0]["returned"] = self.describe(self.ret, "the returned value")

    # --- blocks -------------------------------------------------------
    def read_blocks(self):
        blocks = {}
        # A block no pointer of this step types (a leaked one) keeps the
        # type an earlier step found, so that its fields still draw.
        for addr in sorted(self.heap.live)[:BLOCKS_KEEP]:
            if addr not in self.block_type and addr in self.heap.types:
                self.block_type[addr] = self.heap.types[addr]
                self.queue.append(addr)
        done = 0
        while done < len(self.queue):
            addr = self.queue[done]
            done += 1
            blocks[addr] = self.describe_block(addr, self.block_type[addr])
        shown = sorted(self.heap.live)
        out = []
        for addr in shown[:BLOCKS_KEEP]:
            b = blocks.get(addr) or self.describe_block(addr, None)
            b.update(id=hex(addr), size=self.heap.live[addr], site=self.heap.site.get(addr))
            out.append(b)
        return out, max(0, len(shown) - BLOCKS_KEEP)

    def describe_block(self, addr, elem):
        size = self.heap.live[addr]
        where = "block " + hex(addr)
        if elem is not None:
            t = elem.strip_typedefs()
            if t.sizeof == 1 and t.code in (gdb.TYPE_CODE_INT, gdb.TYPE_CODE_CHAR):
                data = bytes(self.inf.read_memory(addr, min(size, TEXT_KEEP)))
                return {"type": "char[%d]" % size, "v": {"k": "text", "t": text_of(data), "n": size}}
            n = size // t.sizeof
            if n >= 1:
                ptr = gdb.Value(addr).cast(elem.pointer())
                if n == 1:
                    return {"type": type_name(elem), "v": self.describe(ptr.dereference(), where)}
                items = [self.describe(ptr[i], "%s[%d]" % (where, i))
                         for i in range(min(n, ELEMS_KEEP))]
                return {"type": "%s[%d]" % (type_name(elem), n),
                        "v": {"k": "array", "e": items, "n": n}}
        data = bytes(self.inf.read_memory(addr, min(size, ELEMS_KEEP * 2)))
        return {"type": "%d bytes" % size, "v": {"k": "bytes", "t": data.hex(" "), "n": size}}

    # --- reachability ---------------------------------------------------
    def root_stack(self, newest):
        """The memory that may hold a live pointer, as (start, end) ranges:
        the stack of every frame of the learner's and the test's functions
        (folded ones too), with the red zone of a learner's leaf. Not the
        frames of the harness and the library above them: their unwritten
        slots hold stale copies of pointers long gone, which would hide a
        leak. Without a test frame in the chain, the whole live stack.

        At a failed check of the test (precise), those frames are read by
        their variables in scope only: the test is done calling the
        learner's code, and cr_assert's large frame is mostly unwritten
        (measured: stale pointers there kept a cycle the test had let go
        of "reachable")."""
        lo_all, hi_all = self.rec.stack
        regions = []
        tested = False
        frame = newest
        while frame is not None:
            older = frame.older()
            symtab = frame_file(frame)
            if (is_learner(symtab) or is_test(symtab)) and self.precise:
                regions += self.variables(frame)
            elif is_learner(symtab) or is_test(symtab):
                lo = int(frame.read_register("rsp")) - (128 if frame == newest else 0)
                hi = int(older.read_register("rsp")) if older is not None else hi_all
                regions.append((max(lo, lo_all), min(hi, hi_all)))
            tested = tested or is_test(symtab)
            if tested and symtab is not None and symtab.filename.endswith("/harness.c"):
                break  # the harness's frames that ran the test: nothing of the learner's
            frame = older
        if tested:
            return [(lo, hi) for lo, hi in regions if lo < hi]
        return [(max(lo_all, self.live_low), hi_all)]

    def variables(self, frame):
        """The memory of every variable in scope in @p frame."""
        out = []
        try:
            block = frame.block()
        except RuntimeError:
            return out
        while block is not None:
            for sym in block:
                if not (sym.is_argument or sym.is_variable) \
                        or sym.addr_class == gdb.SYMBOL_LOC_STATIC:
                    continue
                try:
                    val = sym.value(frame)
                    if val.address is not None:
                        addr = int(val.address)
                        out.append((addr, addr + val.type.sizeof))
                except (gdb.error, RuntimeError):
                    continue
            if block.function is not None:
                break
            block = block.superblock
        return out

    def unreachable(self):
        heap = self.heap
        seen = set()
        todo = []

        if not heap.starts:
            return []
        low = heap.starts[0]
        high = heap.starts[-1] + heap.live[heap.starts[-1]]

        def scan(data):
            words = array.array("Q", data[:len(data) - len(data) % 8])
            for word in [w for w in words if low <= w < high]:
                b = heap.find(word)
                if b is not None and b not in seen:
                    seen.add(b)
                    todo.append(b)

        frame = gdb.newest_frame()
        for lo, hi in self.root_stack(frame):
            scan(bytes(self.inf.read_memory(lo, hi - lo)))
        if is_learner(frame_file(frame)):
            scan(b"".join(struct.pack("<Q", int(frame.read_register(r)) & (2**64 - 1))
                          for r in REGS))
        if self.ret is not None:
            try:
                scan(struct.pack("<Q", int(self.ret) & (2**64 - 1)))
            except (gdb.error, ValueError):
                pass
        for addr, size in self.rec.globals:
            try:
                scan(bytes(self.inf.read_memory(addr, size)))
            except gdb.MemoryError:
                pass
        while todo:
            b = todo.pop()
            size = heap.live[b]
            if size >= 8:
                scan(bytes(self.inf.read_memory(b, min(size, 1 << 20))))
        return [b for b in heap.live if b not in seen]


class Return(gdb.FinishBreakpoint):
    """The return of a learner function to the test: one more step."""

    def stop(self):
        Recorder.active.pending = ("return", self)
        return True

    def out_of_scope(self):
        pass


class Start(gdb.Breakpoint):
    """main() of the test binary: the learner's breakpoints are set there,
    once its libraries are loaded, so that GDB resolves them once rather
    than again at every library load (measured: 1.3 s of a 3.5 s run)."""

    def stop(self):
        Recorder.active.pending = ("start", None)
        return True


class Failure(gdb.Breakpoint):
    """The harness's report_failure(): a check of the test failed. One more
    step, drawn where the test checks (what the learner's code left behind
    is judged there: a leak the test finds shows at that step)."""

    def stop(self):
        text = ""
        try:
            addr = int(gdb.newest_frame().read_var("message"))
            for length in (TEXT_KEEP * 4, TEXT_KEEP, 8):
                try:
                    text = text_of(bytes(gdb.selected_inferior().read_memory(addr, length)))
                    break
                except gdb.MemoryError:
                    continue
        except (gdb.error, ValueError, RuntimeError):
            pass
        Recorder.active.pending = ("assert", text)
        return True


class FreeWatch(gdb.Breakpoint):
    """free(): stops only for a block this recording saw freed already."""

    def stop(self):
        rec = Recorder.active
        if rec is None or rec.heap is None:
            return False
        addr = int(gdb.newest_frame().read_register("rdi")) & (2**64 - 1)
        if addr and addr not in rec.heap.live and rec.heap.find_freed(addr) == addr \
                and rec.heap.still_free(addr):
            rec.pending = ("double_free", addr)
            return True
        return False


class Recorder:
    active = None

    def __init__(self, out):
        Recorder.active = self
        self.out = out
        self.heap = None
        self.stack = None
        self.globals = []
        self.pending = None
        self.stops = 0
        self.drawn = 0
        self.folded = 0
        self.hits = {}
        self.leaked = set()
        self.reported = set()
        self.returns = set()
        self.prev_line = None
        self.exited = None
        self.signal = None
        self.source = []

    def emit(self, record):
        self.out.write(json.dumps(record, separators=(",", ":")) + "\n")
        self.out.flush()

    # --- set-up ---------------------------------------------------------
    def learner_symtab(self):
        for name in (LEARNER, "learner/" + LEARNER):
            try:
                _, sals = gdb.decode_line(name + ":1")
            except gdb.error:
                continue
            for sal in sals or ():
                if is_learner(sal.symtab):
                    return sal.symtab
        return None

    def learner_lines(self):
        """The lines of the learner's file that have code."""
        symtab = self.learner_symtab()
        if symtab is None:
            raise RuntimeError("no line of %s in the test binary" % LEARNER)
        self.symtab = symtab
        return sorted({entry.line for entry in symtab.linetable() if entry.line > 0})

    def line_addresses(self):
        """Where a breakpoint on each line of the learner's file goes: the
        first address of the line in each function, and for a function's
        first line, the address past its prologue (the next line's), as
        GDB places `break FILE:LINE`. Read from the line table: asking GDB
        to decode each FILE:LINE costs 2 ms of CPU a line."""
        entries = sorted((e.pc, e.line) for e in self.symtab.linetable() if e.line > 0)
        first = {}
        for i, (pc, line) in enumerate(entries):
            block = gdb.block_for_pc(pc)
            while block is not None and block.function is None:
                block = block.superblock
            if block is None:
                continue
            if pc == block.start and i + 1 < len(entries) \
                    and entries[i + 1][0] < block.end:
                pc = entries[i + 1][0]  # past the prologue
            key = (line, block.start)
            first[key] = min(pc, first.get(key, pc))
        return sorted(set(first.values()))

    def set_breakpoints(self):
        # Silent: GDB prints nothing at a stop (a frame with its arguments
        # and the source line), which the recorder reads by itself.
        self.learner_lines()  # the symbol table as this run relocated it
        for pc in self.line_addresses():
            gdb.Breakpoint("*%d" % pc, internal=True).silent = True
        FreeWatch("free", internal=True).silent = True
        try:
            Failure("report_failure", internal=True).silent = True
        except (gdb.error, RuntimeError):
            pass  # a harness without it: no step for a failed check

    def first_stop(self):
        # Once the test runs: breakpoints stay in while it is stopped, not
        # removed and put back at every stop.
        gdb.execute("set breakpoint always-inserted on")
        pid = gdb.selected_inferior().pid
        with open("/proc/%d/maps" % pid) as maps:
            for line in maps:
                if line.rstrip().endswith("[stack]"):
                    lo, hi = line.split()[0].split("-")
                    self.stack = (int(lo, 16), int(hi, 16))
        self.heap = Heap()
        tables = [self.symtab]
        frame = gdb.newest_frame()
        while frame is not None:
            if is_test(frame_file(frame)):
                tables.append(frame_file(frame))
                break
            frame = frame.older()
        for table in tables:
            for block in (table.static_block(), table.global_block()):
                for sym in block:
                    if not sym.is_variable or sym.symtab != table:
                        continue
                    try:
                        val = sym.value()
                        self.globals.append((int(val.address), val.type.sizeof))
                    except (gdb.error, RuntimeError, TypeError):
                        pass

    # --- one stop -------------------------------------------------------
    def problem(self, kind, key, text, block=None):
        if (kind, key) in self.reported:
            return None
        self.reported.add((kind, key))
        return {"kind": kind, "block": hex(block) if block is not None else None, "text": text}

    def site_text(self, addr):
        line = self.heap.site.get(addr)
        return " allocated at line %d" % line if line else ""

    def on_stop(self, event, ret=None, note=None):
        frame0 = gdb.newest_frame()
        learner = None
        frame = frame0
        while frame is not None:
            if is_learner(frame_file(frame)):
                learner = frame
                break
            if is_test(frame_file(frame)):
                break
            frame = frame.older()
        where = learner or frame or frame0
        line = where.find_sal().line
        if self.stack is None:
            self.first_stop()
        # A block that appears was allocated by the line that ran last.
        born, gone = self.heap.update(self.prev_line or line)
        if learner is not None and event == "line":
            self.watch_return(learner)
        snap = Snapshot(self, ret if event == "return" else None, event == "assert")
        snap.read_frames()
        key = (event, line, self.caller_pc(learner))
        self.hits[key] = self.hits.get(key, 0) + 1
        shown = event not in ("line", "return") or (
            self.hits[key] <= LOOP_KEEP and self.drawn < MAX_STEPS)
        # A stop that is folded reads the frames and the heap's set, not
        # what the blocks hold (most of a stop's cost): a pointer kept in
        # a block is judged at the next stop that is drawn.
        blocks, more = snap.read_blocks() if shown else (None, 0)
        problems = self.heap_problems(snap, event, ret)
        problems += self.dangling_problems(snap, event, line, learner, 0)
        if problems and blocks is None:
            seen = len(snap.dangling)
            blocks, more = snap.read_blocks()
            problems += self.dangling_problems(snap, event, line, learner, seen)
        self.prev_line = line
        if not (problems or shown):
            self.folded += 1
            return
        freed = sorted({int(v["id"], 16) for f in snap.frames for v in _ptrs(f)
                        if v.get("to") == "freed"} | {int(v["id"], 16) for b in blocks
                                                       for v in _walk(b["v"])
                                                       if v.get("to") == "freed"})
        self.emit({"step": self.drawn, "stop": self.stops, "event": event,
                   "file": "learner" if learner is not None else "test", "line": line,
                   "frames": snap.frames, "blocks": blocks, "more_blocks": more,
                   "leaked": [hex(a) for a in sorted(self.leaked) if a in self.heap.live],
                   "freed": [{"id": hex(a), "size": self.heap.freed[a]} for a in freed
                             if a in self.heap.freed],
                   "born": [hex(a) for a in born], "gone": [hex(a) for a in gone],
                   "folded": self.folded, "problems": problems,
                   "note": note})
        self.folded = 0
        self.drawn += 1

    def heap_problems(self, snap, event, ret):
        """Leaks, overflows and a double free, each once, at this stop."""
        problems = []
        for addr in snap.unreachable():
            if addr in self.leaked:
                continue
            self.leaked.add(addr)
            problems.append(self.problem(
                "leak", addr, "the last pointer to this %d-byte block%s is gone: it can "
                "never be freed now" % (self.heap.live[addr], self.site_text(addr)), addr))
        for addr, _ in self.heap.overflows():
            problems.append(self.problem(
                "overflow", addr, "bytes written past the end of this %d-byte block%s%s"
                % (self.heap.live[addr], self.site_text(addr),
                   " (by line %d)" % self.prev_line if self.prev_line else ""), addr))
        if event == "double_free":
            problems.append(self.problem(
                "double_free", ret, "free() of a block that was already freed", ret))
        return [p for p in problems if p]

    def dangling_problems(self, snap, event, line, learner, start):
        """The dangling pointers the snapshot found from index @p start on:
        one into a returned frame as soon as it is seen, one into a freed
        block when the learner's line goes through it."""
        problems = []
        for kind, place, addr in snap.dangling[start:]:
            if kind == "dangling_local":
                problems.append(self.problem(
                    kind, (place, addr), "%s points into a frame that has returned" % place))
        for kind, place, addr in snap.dangling[start:]:
            if kind == "dangling_freed" and event == "line" and learner is not None \
                    and self.dereferences(line, place):
                problems.append(self.problem(
                    kind, addr, "line %d reads through %s, which points into a %d-byte "
                    "block%s that was freed" % (line, place, self.heap.freed.get(addr, 0),
                                                self.site_text(addr)), addr))
        return [p for p in problems if p]

    def dereferences(self, line, place):
        """Whether learner line @p line goes through the pointer kept at
        @p place (`name->`, `name[`, `*name`). Hardware watchpoints would
        see the access itself, but they do not fire on every machine
        (measured: not on the course's build machine), so this reads the
        line instead: it can be fooled by two pointers of one name."""
        if not self.source:
            try:
                with open(self.symtab.fullname(), "rb") as f:
                    self.source = f.read(1 << 20).decode("utf-8", "replace").split("\n")
            except OSError:
                self.source = [""]
        if not 0 < line <= len(self.source):
            return False
        name = re.split(r"[.:]", re.sub(r"\[\d+\]", "", place))[-1]
        if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name):
            return False
        text = self.source[line - 1]
        return re.search(r"(?<![A-Za-z0-9_])%s\s*(->|\[)|\*\s*%s(?![A-Za-z0-9_])"
                         % (name, name), text) is not None

    def caller_pc(self, frame):
        if frame is None or frame.older() is None:
            return 0
        return frame.older().pc()

    def watch_return(self, frame):
        older = frame.older()
        while older is not None and not (is_learner(frame_file(older))
                                         or is_test(frame_file(older))):
            older = older.older()
        if older is None or is_learner(frame_file(older)):
            return
        key = (int(frame.older().read_register("rsp")), frame.older().pc())
        if key in self.returns:
            return
        self.returns.add(key)
        try:
            Return(frame, internal=True).silent = True
        except (ValueError, gdb.error, RuntimeError):
            pass


def _walk(v):
    if not isinstance(v, dict):
        return
    yield v
    for _, f in v.get("f", ()):
        yield from _walk(f)
    for e in v.get("e", ()):
        yield from _walk(e)


def _ptrs(frame):
    for var in frame["vars"]:
        yield from _walk(var["v"])
    if "returned" in frame:
        yield from _walk(frame["returned"])


class Blocked(threading.Thread):
    """The course's blocked rule, for a test run under GDB: the harness's
    own rule cannot judge it (to the harness, a test held at a breakpoint
    sleeps). Time counts only while every thread of the test sleeps by
    itself: a thread held by GDB ('t'), running or waiting for a CPU ('R'),
    or in the kernel ('D') starts the count again, so a busy machine never
    makes a test look blocked. This thread calls nothing of GDB's (not
    thread-safe): it reads /proc and, at the end, kills the test's process.
    The pid is set by GDB's thread when the test's process appears."""

    def __init__(self):
        super().__init__(daemon=True)
        self.pid = 0
        self.fired = False

    def asleep(self, pid):
        """Whether every thread of @p pid and of the processes it started
        sleeps by itself (a child doing the work counts, as in the harness);
        anything unreadable counts as awake."""
        queue = [pid]
        for proc in queue[:64]:
            try:
                tasks = os.listdir("/proc/%d/task" % proc)
            except OSError:
                return False
            for tid in tasks:
                base = "/proc/%d/task/%s/" % (proc, tid)
                try:
                    with open(base + "stat") as f:
                        state = f.read().rsplit(")", 1)[1].split()[0]
                    with open(base + "children") as f:
                        queue.extend(int(c) for c in f.read().split())
                except (OSError, IndexError, ValueError):
                    return False
                if state not in ("S", "I"):
                    return False
        return True

    def run(self):
        since = None
        while not self.fired:
            time.sleep(0.25)
            pid = self.pid
            if not pid or not self.asleep(pid):
                since = None
                continue
            now = time.monotonic()
            since = now if since is None else since
            if now - since >= BLOCKED_S:
                self.fired = True
                try:
                    os.kill(pid, signal.SIGKILL)
                except OSError:
                    pass


def dumpable_fix():
    """At a prctl() catchpoint: PR_SET_DUMPABLE 0 becomes 1. True when the
    stop was that catchpoint's."""
    frame = gdb.newest_frame()
    if frame_file(frame) is not None and (is_learner(frame_file(frame))
                                          or is_test(frame_file(frame))):
        return False
    try:
        nr = int(frame.read_register("orig_rax"))
    except (gdb.error, ValueError):
        return False
    if nr != 157:  # prctl on x86-64
        return False
    if int(frame.read_register("rdi")) == 4 and int(frame.read_register("rsi")) == 0:
        gdb.execute("set $rsi = 1")
    return True


def main():
    for setting in ("pagination off", "confirm off", "follow-fork-mode child",
                    "detach-on-fork on", "startup-with-shell off", "print pretty off",
                    "debuginfod enabled off", "width 0"):
        try:
            gdb.execute("set " + setting)
        except gdb.error:
            pass
    for sig in ("SIGPIPE", "SIGCHLD", "SIGALRM", "SIGUSR1", "SIGUSR2"):
        gdb.execute("handle %s nostop noprint pass" % sig, to_string=True)
    out = open(TRACE, "w")
    rec = Recorder(out)
    reason = "the test ended"
    try:
        # Who records, under which CPU limit: the course's checks read it
        # (never root; the limit the sandbox set).
        rec.emit({"trace": 1, "learner": LEARNER, "lines": len(rec.learner_lines()),
                  "uid": os.getuid(), "cpu_limit": resource.getrlimit(resource.RLIMIT_CPU)[0]})
        Start("main", internal=True, temporary=True)
        stop = {"signal": None}

        def on_stop(event):
            if isinstance(event, gdb.SignalEvent):
                stop["signal"] = event.stop_signal

        def on_exit(event):
            rec.exited = getattr(event, "exit_code", None)

        gdb.events.stop.connect(on_stop)
        gdb.events.exited.connect(on_exit)
        # The harness's zygote makes itself undumpable, which would shut
        # GDB (an unprivileged uid) out of its memory and of the test
        # child's: the request is turned into "dumpable" here. Nothing is
        # graded in this mode, so the token it protects has no use.
        gdb.execute("catch syscall prctl", to_string=True)
        catch = gdb.breakpoints()[-1]
        blocked = Blocked()

        def on_thread(event):
            # Inferior 1 is the harness's zygote; the test child GDB
            # follows is the next one.
            inferior = event.inferior_thread.inferior
            if inferior.num != 1 and not blocked.pid:
                blocked.pid = inferior.pid

        gdb.events.new_thread.connect(on_thread)
        blocked.start()
        gdb.execute("run", to_string=True)
        while rec.exited is None and gdb.selected_inferior().pid:
            if rec.pending and rec.pending[0] == "start":
                rec.pending = None
                rec.set_breakpoints()
                gdb.execute("continue", to_string=True)
                continue
            if catch is not None and rec.pending is None and not stop["signal"] \
                    and rec.heap is None and dumpable_fix():
                gdb.execute("continue", to_string=True)
                continue
            if catch is not None and rec.heap is None:
                catch.delete()
                catch = None
            rec.stops += 1
            pending, rec.pending = rec.pending, None
            if stop["signal"]:
                rec.on_stop("signal")
                reason = "the test stopped with " + stop["signal"]
                break
            if pending and pending[0] == "return":
                rec.on_stop("return", pending[1].return_value)
            elif pending and pending[0] == "double_free":
                rec.on_stop(pending[0], pending[1])
            elif pending and pending[0] == "assert":
                rec.on_stop("assert", note=pending[1])
            else:
                rec.on_stop("line")
            if rec.stops >= MAX_STOPS:
                reason = "recording stopped after %d steps" % MAX_STOPS
                break
            gdb.execute("continue", to_string=True)
        if blocked.fired:
            reason = ("the test was stopped after every thread of it had slept %d s in a row, "
                      "waiting for something that never came (a lock taken twice, a read "
                      "with no writer)" % BLOCKED_S)
    except Exception as err:  # the trace ends with what went wrong
        reason = "the recorder failed: %s" % err
    rec.emit({"end": reason, "stops": rec.stops, "drawn": rec.drawn})
    out.close()
    try:
        gdb.execute("kill", to_string=True)
    except gdb.error:
        pass


main()
