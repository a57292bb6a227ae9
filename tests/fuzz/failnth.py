#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""Fail each allocation of each drlb configuration operation, one at a time.

failnth.py [--ops NAME,...] [--save-cmd CMD] [--flows-from NETNS --flow ADDR:PORT...]
           [--max-n N] [--list]

For each operation, for N = 1, 2, 3, ...: write N to /proc/thread-self/fail-nth
(the Nth fault-injection point this thread passes fails: slab or page
allocation, in the netlink core or in drlb), send the request, write 0, read
the reply. A request that failed must leave the configuration exactly as it
was (a dump of everything drctl save writes, and the digest of each
service's hash tables) and, where drlb's own allocation failed, the balancer
must still forward (--flow: new TCP connections from NETNS, each answered).
The loop ends when the request succeeds with no failure injected; every
success is undone before the next N. CMD's output (e.g. "drctl save") must
then be what it was before the operation: one process an operation, not one
a failure, as each costs a third of a second under the debug kernel. Run as
root in the namespace under test, with failslab and fail_page_alloc set to
fail sleeping allocations too.

Operations run on the lab's services: tcp VIP:80 (rr) and tcp [VIP6]:80
(mh), each over rs1..rs3, which must exist; "first-service" runs in a new,
empty network namespace each time (the first service enables the hooks and
makes the connection table).

Prints one line per operation: injected failures, how many of them came
back with drlb's message (its own allocation failed), how many were
absorbed (a fallback, the request succeeded). Exits 1 on a failure that
changed something or broke forwarding, or an operation whose drlb
allocations were never reached; 2 on bad usage.
"""
import argparse
import difflib
import ctypes
import errno
import os
import shlex
import socket
import struct
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from nlfuzz import CMD, NLA_F_NESTED, NLM_F_ACK, NLM_F_DUMP, NLM_F_REQUEST, \
    NLMSG_DONE, NLMSG_ERROR, A_SERVICE, A_BACKEND, A_CONFIG, \
    message, nest, nla, replies, family_id  # noqa: E402

SOL_NETLINK, NETLINK_CAP_ACK, NETLINK_EXT_ACK = 270, 10, 11
NLMSGERR_ATTR_MSG = 1
CLONE_NEWNET = 0x40000000
# src/service.h DRLB_ENOMEM_MSG, and the hook's own.
DRLB_MESSAGES = ("out of memory (or over the memory cgroup's limit)", "could not hook")

# include/uapi/linux/drlb.h
SVC_AF, SVC_PROTO, SVC_ADDR, SVC_PORT, SVC_SCHED, SVC_PERSIST, SVC_MH_SIZE, SVC_BACKENDS = \
    range(1, 9)
SVC_CHECK, SVC_DIGEST = 12, 13
BE_ADDR, BE_WEIGHT, BE_IFINDEX, BE_HEALTH, BE_HEALTH_REASON = 1, 2, 5, 8, 10
CFG_CONN_MAX, CFG_CONN_COUNT, CFG_VERSION, CFG_SEED = 5, 6, 7, 10
VIP, VIP6 = "10.0.0.100", "fd00::100"
RS = ("10.0.0.11", "10.0.0.12", "10.0.0.13")
RS6 = ("fd00::11", "fd00::12", "fd00::13")
# On the segment, nobody there: a ghost backend would eat flows.
GHOST, GHOST6 = "10.0.0.50", "fd00::50"

libc = ctypes.CDLL(None, use_errno=True)


def addr16(text):
    if ":" in text:
        return socket.inet_pton(socket.AF_INET6, text)
    return socket.inet_pton(socket.AF_INET, text) + bytes(12)


def svc_key(proto, addr, port):
    af = socket.AF_INET6 if ":" in addr else socket.AF_INET
    return [nla(SVC_AF, struct.pack("=H", af)), nla(SVC_PROTO, bytes([proto])),
            nla(SVC_ADDR, addr16(addr)), nla(SVC_PORT, struct.pack(">H", port))]


def attrs_of(data):
    """{type: payload} of a run of attributes (nesting flag cleared)."""
    out = {}
    while len(data) >= 4:
        length, kind = struct.unpack("=HH", data[:4])
        if length < 4:
            break
        out[kind & ~NLA_F_NESTED & 0x7fff] = data[4:length]
        data = data[(length + 3) & ~3:]
    return out


class Genl:
    """A drlb generic netlink socket, in the namespace it is made in."""

    def __init__(self):
        self.sock = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, 16)
        self.sock.setsockopt(SOL_NETLINK, NETLINK_EXT_ACK, 1)
        self.sock.setsockopt(SOL_NETLINK, NETLINK_CAP_ACK, 1)
        self.sock.bind((0, 0))
        self.sock.settimeout(10)
        self.seq = 0
        self.family = family_id(self)

    # nlfuzz.family_id's interface.
    def send(self, family, cmd, attrs, flags):
        self.seq += 1
        self.sock.send(message(family, cmd, attrs, flags | NLM_F_REQUEST, self.seq))
        return self.seq

    def request(self, cmd, attrs, flags=NLM_F_ACK):
        self.seq += 1
        return message(self.family, cmd, attrs, flags | NLM_F_REQUEST, self.seq)

    def finish(self):
        """(error, extack message, data payloads) of the last request; error
        None when the kernel could not even allocate the reply (ENOBUFS)."""
        data = []
        while True:
            try:
                buf = self.sock.recv(1 << 20)
            except OSError as e:
                if e.errno == errno.ENOBUFS:
                    return None, "", data
                raise
            for kind, flags, seq, payload in replies(buf):
                if seq != self.seq:
                    continue
                if kind == NLMSG_ERROR:
                    err = -struct.unpack("=i", payload[:4])[0]
                    tlv = attrs_of(payload[20:]) if flags & 0x200 else {}
                    msg = tlv.get(NLMSGERR_ATTR_MSG, b"").rstrip(b"\0").decode()
                    return err, msg, data
                if kind == NLMSG_DONE:
                    return 0, "", data
                data.append(payload[4:])

    def call(self, cmd, attrs=(), flags=NLM_F_ACK):
        self.sock.send(self.request(cmd, b"".join(attrs), flags))
        return self.finish()

    def must(self, cmd, attrs=(), flags=NLM_F_ACK):
        err, msg, data = self.call(cmd, attrs, flags)
        if err:
            raise RuntimeError(f"cmd {cmd}: {os.strerror(err or errno.ENOBUFS)} {msg}")
        return data

    def state(self):
        """The configuration, canonical: all drctl save writes (settings;
        services with their checks; backends with weight and health), and
        the digest of each service's hash tables."""
        services = []
        for payload in self.must(CMD["SERVICE_GET"], flags=NLM_F_ACK | NLM_F_DUMP):
            s = attrs_of(attrs_of(payload)[A_SERVICE])
            key = tuple(s[k] for k in (SVC_AF, SVC_PROTO, SVC_ADDR, SVC_PORT))
            keyattrs = [nla(k, v) for k, v in zip((SVC_AF, SVC_PROTO, SVC_ADDR, SVC_PORT), key)]
            backends = []
            for bp in self.must(CMD["BACKEND_GET"], [nest(A_SERVICE, keyattrs)],
                                NLM_F_ACK | NLM_F_DUMP):
                b = attrs_of(attrs_of(bp)[A_BACKEND])
                backends.append((b[BE_ADDR], b[BE_WEIGHT], b.get(BE_IFINDEX),
                                 b.get(BE_HEALTH), b.get(BE_HEALTH_REASON)))
            if len(backends) != struct.unpack("=I", s[SVC_BACKENDS])[0]:
                raise RuntimeError(f"service {key}: {len(backends)} backends dumped, "
                                   f"count says {s[SVC_BACKENDS]}")
            services.append((key, s[SVC_SCHED], s[SVC_PERSIST], s[SVC_MH_SIZE],
                             tuple(sorted(backends)), s.get(SVC_CHECK), s.get(SVC_DIGEST)))
        (cfg,) = self.must(CMD["CONFIG_GET"])
        c = attrs_of(attrs_of(cfg)[A_CONFIG])
        settings = tuple(sorted((k, v) for k, v in c.items()
                                if k not in (CFG_CONN_COUNT, CFG_VERSION)))
        return tuple(sorted(services)), settings

    def config(self, kind):
        (cfg,) = self.must(CMD["CONFIG_GET"])
        return attrs_of(attrs_of(cfg)[A_CONFIG])[kind]


def svc(proto, addr, port, **extra):
    attrs = svc_key(proto, addr, port)
    if "sched" in extra:
        attrs.append(nla(SVC_SCHED, extra["sched"].encode() + b"\0"))
    if "persist" in extra:
        attrs.append(nla(SVC_PERSIST, struct.pack("=I", extra["persist"])))
    if "mh_size" in extra:
        attrs.append(nla(SVC_MH_SIZE, struct.pack("=I", extra["mh_size"])))
    return nest(A_SERVICE, attrs)


def be(addr, weight=None):
    attrs = [nla(BE_ADDR, addr16(addr))]
    if weight is not None:
        attrs.append(nla(BE_WEIGHT, struct.pack("=I", weight)))
    return nest(A_BACKEND, attrs)


TCP, UDP = 6, 17
WEB = (TCP, VIP, 80)        # rr
WEB6 = (TCP, VIP6, 80)      # mh
SCRATCH = (UDP, VIP, 5353)  # made for service-del and flush


def restore(conn, state):
    """Make @state (from Genl.state) again, from an empty or partial one."""
    for key, sched, persist, mh_size, backends, *_ in state[0]:
        keyattrs = [nla(k, v) for k, v in zip((SVC_AF, SVC_PROTO, SVC_ADDR, SVC_PORT), key)]
        err, msg, _ = conn.call(CMD["SERVICE_NEW"], [nest(A_SERVICE, keyattrs + [
            nla(SVC_SCHED, sched), nla(SVC_PERSIST, persist), nla(SVC_MH_SIZE, mh_size)])])
        if err not in (0, errno.EEXIST):
            raise RuntimeError(f"restore: service: {os.strerror(err)} {msg}")
        for addr, weight, *_ in backends:
            err, msg, _ = conn.call(CMD["BACKEND_NEW"], [
                nest(A_SERVICE, keyattrs),
                nest(A_BACKEND, [nla(BE_ADDR, addr), nla(BE_WEIGHT, weight)])])
            if err not in (0, errno.EEXIST):
                raise RuntimeError(f"restore: backend: {os.strerror(err)} {msg}")


def operations(conn):
    """name: (request (cmd, attrs), undo (a list of them, or a function))."""
    seed = conn.config(CFG_SEED)
    conn_max = struct.unpack("=I", conn.config(CFG_CONN_MAX))[0]
    N = CMD
    return {
        "first-service": ((N["SERVICE_NEW"], [svc(TCP, VIP, 80)]), "netns"),
        "service-add-rr": ((N["SERVICE_NEW"], [svc(UDP, VIP, 53, sched="rr")]),
                           [(N["SERVICE_DEL"], [svc(UDP, VIP, 53)])]),
        "service-add-mh": ((N["SERVICE_NEW"], [svc(TCP, VIP, 443, sched="mh", mh_size=65537)]),
                           [(N["SERVICE_DEL"], [svc(TCP, VIP, 443)])]),
        "service-set-sched": ((N["SERVICE_SET"], [svc(*WEB, sched="wrr")]),
                              [(N["SERVICE_SET"], [svc(*WEB, sched="rr")])]),
        "service-set-mh-size": ((N["SERVICE_SET"], [svc(*WEB6, mh_size=251)]),
                                [(N["SERVICE_SET"], [svc(*WEB6, mh_size=65537)])]),
        "service-set-persist": ((N["SERVICE_SET"], [svc(*WEB, persist=30)]),
                                [(N["SERVICE_SET"], [svc(*WEB, persist=0)])]),
        "backend-add-rr": ((N["BACKEND_NEW"], [svc(*WEB), be(GHOST)]),
                           [(N["BACKEND_DEL"], [svc(*WEB), be(GHOST)])]),
        "backend-add-mh": ((N["BACKEND_NEW"], [svc(*WEB6), be(GHOST6)]),
                           [(N["BACKEND_DEL"], [svc(*WEB6), be(GHOST6)])]),
        "backend-set-rr": ((N["BACKEND_SET"], [svc(*WEB), be(RS[0], 3)]),
                           [(N["BACKEND_SET"], [svc(*WEB), be(RS[0], 1)])]),
        "backend-set-mh": ((N["BACKEND_SET"], [svc(*WEB6), be(RS6[0], 3)]),
                           [(N["BACKEND_SET"], [svc(*WEB6), be(RS6[0], 1)])]),
        "backend-del-rr": ((N["BACKEND_DEL"], [svc(*WEB), be(RS[2])]),
                           [(N["BACKEND_NEW"], [svc(*WEB), be(RS[2], 1)])]),
        "backend-del-mh": ((N["BACKEND_DEL"], [svc(*WEB6), be(RS6[2])]),
                           [(N["BACKEND_NEW"], [svc(*WEB6), be(RS6[2], 1)])]),
        "config-seed": ((N["CONFIG_SET"], [nest(A_CONFIG, [nla(CFG_SEED, os.urandom(16))])]),
                        [(N["CONFIG_SET"], [nest(A_CONFIG, [nla(CFG_SEED, seed)])])]),
        "config-conn-max": ((N["CONFIG_SET"], [nest(A_CONFIG, [
            nla(CFG_CONN_MAX, struct.pack("=I", conn_max + 1000))])]),
            [(N["CONFIG_SET"], [nest(A_CONFIG, [nla(CFG_CONN_MAX, struct.pack("=I", conn_max))])])]),
        "service-del": ((N["SERVICE_DEL"], [svc(*SCRATCH)]), "restore"),
        "flush": ((N["FLUSH"], []), "restore"),
    }


# Operations that allocate nothing of drlb's own: only the netlink core's
# allocations can fail under them.
NO_DRLB_ALLOC = ("config-conn-max", "service-del", "flush")


class FailNth:
    def __init__(self):
        self.fd = os.open("/proc/thread-self/fail-nth", os.O_RDWR)

    def send(self, sock, data, n):
        """Send @data with the @n-th fault-injection point failing: was it
        hit, and the send's own error (the request never got in)."""
        err = 0
        os.write(self.fd, b"%d" % n)
        try:
            sock.send(data)
        except OSError as e:
            err = e.errno
        left = int(os.pread(self.fd, 32, 0))
        os.write(self.fd, b"0")
        return left == 0, err


class Flows:
    """New TCP connections from another namespace, each must be answered."""

    def __init__(self, netns, targets, count):
        self.home = os.open("/proc/thread-self/ns/net", os.O_RDONLY)
        self.there = os.open(f"/run/netns/{netns}", os.O_RDONLY) if netns else None
        self.targets = targets
        self.count = count

    def setns(self, fd):
        if libc.setns(fd, CLONE_NEWNET):
            raise OSError(ctypes.get_errno(), "setns")

    def check(self):
        if self.there is None:
            return []
        bad = []
        # Back to the namespace we are in, which is not home while an
        # operation runs in a namespace of its own (first-service): a
        # save from home would then show the lab's configuration.
        here = os.open("/proc/thread-self/ns/net", os.O_RDONLY)
        try:
            self.connect_all(here, bad)
        finally:
            os.close(here)
        return bad

    def connect_all(self, here, bad):
        for host, port in self.targets:
            for _ in range(self.count):
                fam = socket.AF_INET6 if ":" in host else socket.AF_INET
                self.setns(self.there)
                try:
                    s = socket.socket(fam, socket.SOCK_STREAM)
                finally:
                    self.setns(here)
                s.settimeout(2)
                s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                try:
                    s.connect((host, port))
                except OSError as e:
                    bad.append(f"{host}:{port}: {e}")
                finally:
                    s.close()


def new_netns():
    if libc.unshare(CLONE_NEWNET):
        raise OSError(ctypes.get_errno(), "unshare(CLONE_NEWNET)")
    return Genl()


def run_op(name, op, conn, fail, flows, args):
    (cmd, attrs), undo = op
    if undo == "netns":
        conn = new_netns()
    before = conn.state()
    saved = save(args)
    injected = with_msg = absorbed = 0
    messages = set()
    problems = []
    for n in range(1, args.max_n + 1):
        data = conn.request(cmd, b"".join(attrs))
        hit, err = fail.send(conn.sock, data, n)
        msg = ""
        if not err:
            err, msg, _ = conn.finish()
        after = conn.state()
        if err is None:     # the ack could not be allocated: what happened?
            err = 0 if after != before else errno.ENOBUFS
        if err and not hit:
            problems.append(f"N={n}: failed with no injected failure: {os.strerror(err)} {msg}")
            break
        if err:
            injected += 1
            own = msg.startswith(DRLB_MESSAGES)
            with_msg += own
            if msg:
                messages.add(msg)
            if after != before:
                problems.append(f"N={n}: {os.strerror(err)} ({msg or 'no message'}) "
                                f"changed the configuration:\n  before {before}\n  after  {after}")
            if own:
                problems += [f"N={n}: after '{msg}': no answer from {b}" for b in flows.check()]
            if problems:
                break
            continue
        # Success: undo it, and go on while failures were still injected.
        absorbed += hit
        if undo == "netns":
            conn = new_netns()
        elif undo == "restore":
            restore(conn, before)
        else:
            for ucmd, uattrs in undo:
                conn.must(ucmd, uattrs)
        if conn.state() != before:
            problems.append(f"N={n}: the configuration is not back after the undo")
            break
        if not hit:
            break
    else:
        problems.append(f"no success within {args.max_n} injected failures")
    now = save(args)
    if saved is not None and now != saved:
        diff = "".join(difflib.unified_diff(saved.splitlines(True), now.splitlines(True)))
        problems.append(f"after N={n}: '{args.save_cmd}' changed:\n{diff}")
    if undo == "netns":
        flows.setns(flows.home)
    if not problems and not with_msg and name not in NO_DRLB_ALLOC:
        problems.append("no failure came back with drlb's message: its allocations never failed")
    print(f"failnth: {name}: {injected} injected failures, {with_msg} with drlb's message, "
          f"{absorbed} absorbed, success at N={n}"
          + (f"; messages: {'; '.join(sorted(messages))}" if messages else ""))
    for p in problems:
        print(f"failnth: {name}: {p}")
    return not problems


def save(args):
    if not args.save_cmd:
        return None
    # No shell in between: under the debug kernel each process costs a fifth of a second.
    return subprocess.run(shlex.split(args.save_cmd), check=True, capture_output=True,
                          text=True).stdout


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--ops", default="")
    ap.add_argument("--save-cmd", default="")
    ap.add_argument("--flows-from", default="")
    ap.add_argument("--flow", action="append", default=[])
    ap.add_argument("--flow-count", type=int, default=8)
    ap.add_argument("--max-n", type=int, default=5000)
    ap.add_argument("--list", action="store_true")
    args = ap.parse_args()
    conn = Genl()
    ops = operations(conn)
    if args.list:
        print(" ".join(ops))
        return 0
    names = args.ops.split(",") if args.ops else list(ops)
    unknown = [n for n in names if n not in ops]
    if unknown:
        print(f"failnth: unknown operations: {' '.join(unknown)}", file=sys.stderr)
        return 2
    targets = []
    for f in args.flow:
        host, _, port = f.rpartition(":")
        targets.append((host.strip("[]"), int(port)))
    flows = Flows(args.flows_from, targets, args.flow_count)
    bad = flows.check()
    if bad:
        print(f"failnth: no forwarding before any failure: {bad}")
        return 1
    fail = FailNth()
    # service-del and flush need a service of their own with backends.
    restore(conn, ((((struct.pack("=H", socket.AF_INET), bytes([UDP]), addr16(VIP),
                      struct.pack(">H", SCRATCH[2])), b"mh\0", struct.pack("=I", 0),
                     struct.pack("=I", 251), tuple((addr16(a), struct.pack("=I", 1), None)
                                                   for a in RS[:2])),), ()))
    ok = True
    t0 = time.monotonic()
    for name in names:
        ok &= run_op(name, ops[name], conn, fail, flows, args)
    conn.must(CMD["SERVICE_DEL"], [svc(*SCRATCH)])
    print(f"failnth: {len(names)} operations in {time.monotonic() - t0:.0f} s: "
          + ("every failure left the configuration as it was" if ok else "FAILED"))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
