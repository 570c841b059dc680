# hangview.py: gdb script the hang watchdog runs inside a stuck process; prints one JSON line.
#
# For every thread: where it is in the lab's code, and what it waits for (a mutex
# and its owner, a barrier and its count, a condition variable, a join, a
# semaphore, a child process), with the waited-for object named the way the
# learner's code names it (alice.lock, to->lock) wherever the debug info allows.
# The harness (watchdog.c) turns this into sentences; this script only observes.

import json
import re

import gdb

# Function names glibc's blocking calls show in a backtrace (with libc6-dbg).
WAITS = [
    # __pthread_mutex_cond_lock: a woken pthread_cond_wait taking its mutex back.
    ("mutex", re.compile(r"pthread_mutex_((timed|clock)?lock|cond_lock)$"), "mutex"),
    ("barrier", re.compile(r"pthread_barrier_wait$"), "barrier"),
    ("cond", re.compile(r"pthread_cond_(timed|clock)?wait$"), "cond"),
    ("join", re.compile(r"pthread_(clock|timed)?join(_ex)?$"), "threadid"),
    ("sem", re.compile(r"sem_(timed|clock)?wait$"), "sem"),
    ("child", re.compile(r"^(__)?(waitpid|wait4|__wait4)$"), None),
    ("sleep", re.compile(r"(clock_)?nanosleep$|^(usleep|sleep)$"), None),
]

# glibc's own sources appear as ./nptl/... or ../sysdeps/...; the lab's do not. The runtime's
# shims between the learner's call and glibc (__wrap_pthread_cond_wait of the stress build, the
# fault shim's rl_fault_sem_wait of every build) are not the learner's either.
def is_lab_frame(frame):
    sal = frame.find_sal()
    fn = frame.name() or ""
    if sal.symtab is None or fn.startswith("__wrap_") or fn.startswith("rl_fault_"):
        return False
    name = sal.symtab.filename
    return not (name.startswith("./") or name.startswith("../") or name.startswith("/usr/"))


def where(frame):
    sal = frame.find_sal()
    return {"func": frame.name() or "??", "file": sal.symtab.filename, "line": sal.line}


def arg_addr(frame, name):
    try:
        return int(frame.read_var(name))
    except (gdb.error, ValueError):
        return None


def field_path(typ, offset, prefix):
    """The member of an object of type typ found at offset bytes, as a C expression."""
    typ = typ.strip_typedefs()
    if offset == 0 and typ.code != gdb.TYPE_CODE_STRUCT:
        return prefix
    if typ.code == gdb.TYPE_CODE_ARRAY:
        elem = typ.target().strip_typedefs()
        if elem.sizeof == 0:
            return None
        i = offset // elem.sizeof
        return field_path(elem, offset - i * elem.sizeof, "%s[%d]" % (prefix, i))
    if typ.code == gdb.TYPE_CODE_STRUCT:
        for f in typ.fields():
            if not hasattr(f, "bitpos") or f.bitpos is None:
                continue
            start = f.bitpos // 8
            size = f.type.strip_typedefs().sizeof
            if start <= offset < start + max(size, 1):
                # A pthread type is a leaf for a learner: stop at it.
                if str(f.type).startswith("pthread_"):
                    return "%s.%s" % (prefix, f.name) if offset == start else None
                return field_path(f.type, offset - start, "%s.%s" % (prefix, f.name))
        return prefix if offset == 0 else None
    return prefix if offset == 0 else None


def global_name(addr):
    """alice.lock for an address inside a global or static variable."""
    out = gdb.execute("info symbol 0x%x" % addr, to_string=True)
    m = re.match(r"(\S+)(?: \+ (\d+))? in section", out)
    if not m:
        return None
    sym = gdb.lookup_global_symbol(m.group(1)) or gdb.lookup_static_symbol(m.group(1))
    if sym is None:
        return m.group(1) if not m.group(2) else None
    return field_path(sym.type, int(m.group(2) or 0), m.group(1))


def local_name(frame, addr):
    """to->lock for an address inside an object a local pointer of frame points at."""
    try:
        block = frame.block()
    except RuntimeError:
        return None
    while block is not None and not block.is_global:
        for sym in block:
            if not (sym.is_variable or sym.is_argument):
                continue
            try:
                val = sym.value(frame)
            except (gdb.error, RuntimeError):
                continue
            try:
                typ = val.type.strip_typedefs()
                if typ.code == gdb.TYPE_CODE_PTR:
                    target = typ.target().strip_typedefs()
                    base = int(val)
                    if base and target.sizeof and base <= addr < base + target.sizeof:
                        path = field_path(target, addr - base, "(*%s)" % sym.name)
                        return path.replace("(*%s)." % sym.name, "%s->" % sym.name) if path else None
                elif val.address is not None:
                    base = int(val.address)
                    if base <= addr < base + typ.sizeof:
                        return field_path(typ, addr - base, sym.name)
            except (gdb.error, RuntimeError, ValueError):
                continue  # optimized out, or not readable: try the next name
        block = block.superblock
    return None


def name_of(addr, frames):
    if addr is None:
        return None
    name = global_name(addr)
    for fr in frames:
        if name:
            break
        name = local_name(fr, addr)
    return name


def read_int(expr):
    try:
        return int(gdb.parse_and_eval(expr))
    except gdb.error:
        return None


def wait_of(frames):
    """What the thread waits for, from its innermost glibc blocking frame."""
    for i, fr in enumerate(frames):
        fname = fr.name() or ""
        for kind, pat, arg in WAITS:
            if not pat.search(fname):
                continue
            lab = [f for f in frames[i + 1:] if is_lab_frame(f)]
            w = {"kind": kind}
            addr = arg_addr(fr, arg) if arg else None
            if addr is not None:
                w["addr"] = "0x%x" % addr
                w["name"] = name_of(addr, lab)
            if kind == "mutex" and addr:
                w["owner"] = read_int("((pthread_mutex_t *)0x%x)->__data.__owner" % addr)
            elif kind == "barrier" and addr:
                fr.select()
                w["count"] = read_int("((struct pthread_barrier *)0x%x)->count" % addr)
            elif kind == "cond":
                m = arg_addr(fr, "mutex")
                w["mutex"] = name_of(m, lab)
            elif kind == "join" and addr:
                fr.select()
                w["target"] = read_int("((struct pthread *)0x%x)->tid" % addr)
            return w
    return {"kind": "running"}


def ns_tid(th):
    """The thread's id in its own PID namespace: a mutex's owner and a join's target hold that
    one, while gdb, outside the namespace (a run isolated by racelab), sees another."""
    pid, lwp = th.inferior.pid, th.ptid[1]
    try:
        with open("/proc/%d/task/%d/status" % (pid, lwp)) as f:
            for line in f:
                if line.startswith("NSpid:"):
                    return int(line.split()[-1])
    except (OSError, ValueError):
        pass
    return lwp


def thread_view(th):
    try:
        return thread_view_of(th)
    except (gdb.error, RuntimeError) as e:
        # One unreadable thread must not hide the others.
        return {"lwp": ns_tid(th), "num": th.num, "wait": {"kind": "unknown"}, "stack": [], "error": str(e)}


def thread_view_of(th):
    th.switch()
    frames = []
    fr = gdb.newest_frame()
    while fr is not None and len(frames) < 64:
        frames.append(fr)
        fr = fr.older()
    lab = [where(f) for f in frames if is_lab_frame(f)]
    return {"lwp": ns_tid(th), "num": th.num, "wait": wait_of(frames), "stack": lab[:8]}


def main():
    inf = gdb.selected_inferior()
    threads = sorted(inf.threads(), key=lambda t: t.num)
    out = {"pid": inf.pid, "threads": [thread_view(t) for t in threads]}
    print("RACELAB-HANG " + json.dumps(out))


main()
