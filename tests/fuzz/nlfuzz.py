#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""Fuzz the drlb generic netlink family.

nlfuzz.py [--seed N] [--count N] [--unprivileged]

Sends COUNT requests: random commands (valid and not), random attribute
trees (wrong types and lengths, deep nesting, huge values, unknown types)
and mutations of valid requests (one byte, one length or one type changed),
with dumps left half-read on a second socket while the requests go on. Each
request asks for an ack; the reply must be a well-formed netlink message.

--unprivileged: expect every request refused (no success, no data).

Prints one summary line; exits 1 on a protocol violation or an unprivileged
request not refused, 2 on bad usage.
"""
import argparse
import errno
import os
import random
import socket
import struct
import sys

NETLINK_GENERIC = 16
GENL_ID_CTRL = 0x10
CTRL_CMD_GETFAMILY = 3
CTRL_ATTR_FAMILY_ID = 1
CTRL_ATTR_FAMILY_NAME = 2
NLM_F_REQUEST, NLM_F_ACK, NLM_F_DUMP = 0x1, 0x4, 0x300
NLMSG_ERROR, NLMSG_DONE = 2, 3
NLA_F_NESTED = 0x8000

# include/uapi/linux/drlb.h
CMD = dict(SERVICE_NEW=1, SERVICE_SET=2, SERVICE_DEL=3, SERVICE_GET=4, BACKEND_NEW=5,
           BACKEND_SET=6, BACKEND_DEL=7, BACKEND_GET=8, CONN_GET=9, CONN_FLUSH=10, FLUSH=11,
           CONFIG_GET=12, CONFIG_SET=13)
DUMPS = (CMD["SERVICE_GET"], CMD["BACKEND_GET"], CMD["CONN_GET"])
A_SERVICE, A_BACKEND, A_CONN, A_CONFIG, A_STATS = 1, 2, 3, 4, 5


def nla(kind, payload):
    hdr = struct.pack("=HH", 4 + len(payload), kind)
    return hdr + payload + b"\0" * (-len(payload) % 4)


def nest(kind, attrs):
    return nla(kind | NLA_F_NESTED, b"".join(attrs))


def message(family, cmd, attrs, flags, seq):
    body = struct.pack("=BBH", cmd, 1, 0) + attrs
    return struct.pack("=IHHII", 16 + len(body), family, flags, seq, 0) + body


def replies(data):
    """(type, flags, seq, payload) of each message in data; raises on garbage."""
    out = []
    while data:
        if len(data) < 16:
            raise ValueError(f"{len(data)} trailing bytes")
        length, kind, flags, seq, _ = struct.unpack("=IHHII", data[:16])
        if length < 16 or length > len(data):
            raise ValueError(f"message length {length} of {len(data)}")
        out.append((kind, flags, seq, data[16:length]))
        data = data[(length + 3) & ~3:]
    return out


class Conn:
    def __init__(self):
        self.sock = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, NETLINK_GENERIC)
        self.sock.bind((0, 0))
        self.sock.settimeout(5)
        self.seq = 0

    def send(self, family, cmd, attrs, flags):
        self.seq += 1
        self.sock.send(message(family, cmd, attrs, flags | NLM_F_REQUEST, self.seq))
        return self.seq

    def finish(self, seq):
        """Read until seq's ack, error or dump end: (error, data messages)."""
        data = 0
        while True:
            for kind, _, rseq, payload in replies(self.sock.recv(1 << 20)):
                if rseq != seq:
                    raise ValueError(f"reply for seq {rseq}, want {seq}")
                if kind == NLMSG_ERROR:
                    return -struct.unpack("=i", payload[:4])[0], data
                if kind == NLMSG_DONE:
                    return 0, data
                data += 1


def family_id(conn):
    conn.send(GENL_ID_CTRL, CTRL_CMD_GETFAMILY, nla(CTRL_ATTR_FAMILY_NAME, b"drlb\0"), 0)
    for kind, _, _, payload in replies(conn.sock.recv(65536)):
        if kind == NLMSG_ERROR:
            sys.exit("nlfuzz: no drlb family: is the module loaded?")
        attrs = payload[4:]
        while attrs:
            length, atype = struct.unpack("=HH", attrs[:4])
            if atype == CTRL_ATTR_FAMILY_ID:
                return struct.unpack("=H", attrs[4:6])[0]
            attrs = attrs[(length + 3) & ~3:]
    sys.exit("nlfuzz: no family id in the reply")


class Gen:
    def __init__(self, rnd):
        self.r = rnd

    def value(self):
        r = self.r
        pick = r.randrange(10)
        if pick == 0:
            return b""
        if pick == 1:
            return bytes(r.randrange(256) for _ in range(r.randrange(1, 64)))
        if pick == 2:
            return b"\xff" * r.choice((1, 2, 4, 8, 16, 300, 2000))
        if pick == 3:
            return r.choice((b"rr\0", b"mh\0", b"wlc\0", b"x" * 40 + b"\0", b"sh"))
        if pick == 4:   # an address, v4 padded or v6
            return bytes([10, 0, 0, r.randrange(256)]) + bytes(12) if r.random() < 0.5 else \
                bytes([0xfd, 0] + [0] * 13 + [r.randrange(256)])
        size = r.choice((1, 2, 4, 8, 16))
        return r.getrandbits(8 * size).to_bytes(size, "little")

    def attrs(self, depth=0):
        r = self.r
        out = []
        for _ in range(r.randrange(0, 7)):
            kind = r.randrange(0, 14)
            if depth < 4 and r.random() < 0.35:
                out.append(nest(kind, self.attrs(depth + 1)))
            else:
                out.append(nla(kind, self.value()))
        return out

    def service(self):
        r = self.r
        af = r.choice((2, 10))
        addr = bytes([10, 0, 0, r.randrange(1, 5)]) + bytes(12) if af == 2 else \
            bytes([0xfd, 0] + [0] * 13 + [r.randrange(1, 5)])
        attrs = [nla(1, struct.pack("=H", af)), nla(2, bytes([r.choice((6, 17))])),
                 nla(3, addr), nla(4, struct.pack(">H", r.choice((80, 53, 443))))]
        if r.random() < 0.5:
            attrs.append(nla(5, r.choice((b"rr\0", b"mh\0", b"wrr\0"))))
        # Mostly small Maglev tables: every backend change rebuilds one.
        if r.random() < 0.9:
            attrs.append(nla(7, struct.pack("=I", r.choice((7, 251, 1021, 65537, 12, 0)))))
        return nest(A_SERVICE, attrs), af

    def valid(self):
        """A request the family would take, or close to it."""
        r = self.r
        cmd = r.choice(list(CMD.values()))
        svc, af = self.service()
        attrs = [svc]
        if cmd in (CMD["BACKEND_NEW"], CMD["BACKEND_SET"], CMD["BACKEND_DEL"]):
            be = bytes([10, 0, 0, r.randrange(11, 14)]) + bytes(12) if af == 2 else \
                bytes([0xfd, 0] + [0] * 13 + [r.randrange(0x11, 0x14)])
            attrs.append(nest(A_BACKEND, [nla(1, be), nla(2, struct.pack("=I", r.randrange(4)))]))
        if cmd == CMD["CONFIG_SET"]:
            attrs = [nest(A_CONFIG, [nla(r.randrange(1, 6), struct.pack("=I", r.randrange(1, 5000)))])]
        return cmd, b"".join(attrs)

    def mutate(self, data):
        r = self.r
        b = bytearray(data)
        if not b:
            return bytes(b)
        pick = r.randrange(3)
        i = r.randrange(len(b))
        if pick == 0:
            b[i] = r.randrange(256)
        elif pick == 1 and len(b) >= 2:     # an attribute length, most likely
            i &= ~3
            b[i:i + 2] = struct.pack("=H", r.choice((0, 1, 3, 4, 5, 0xffff, r.randrange(64))))
        else:
            i &= ~3
            if i + 4 <= len(b):
                b[i + 2:i + 4] = struct.pack("=H", r.randrange(0x10000))
        return bytes(b)

    def request(self):
        r = self.r
        pick = r.random()
        if pick < 0.4:
            cmd, attrs = self.valid()
        elif pick < 0.7:
            cmd, attrs = self.valid()
            attrs = self.mutate(attrs)
        else:
            cmd = r.randrange(0, 20)
            attrs = b"".join(self.attrs())
        flags = NLM_F_ACK | (NLM_F_DUMP if cmd in DUMPS or r.random() < 0.05 else 0)
        return cmd, attrs, flags


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--seed", type=int, default=int.from_bytes(os.urandom(4), "little"))
    ap.add_argument("--count", type=int, default=10000)
    ap.add_argument("--unprivileged", action="store_true")
    args = ap.parse_args()
    rnd = random.Random(args.seed)
    gen = Gen(rnd)
    main_conn, dump_conn = Conn(), Conn()
    family = family_id(main_conn)
    ok = refused = data_msgs = dumps_left = 0
    errors = {}
    pending = None
    for i in range(args.count):
        # Now and then a dump on the other socket, read later, while changes go on.
        if pending is None and rnd.random() < 0.02:
            pending = dump_conn.send(family, rnd.choice(DUMPS), b"", NLM_F_DUMP | NLM_F_ACK)
            dumps_left += 1
        elif pending is not None and rnd.random() < 0.1:
            dump_conn.finish(pending)
            pending = None
        cmd, attrs, flags = gen.request()
        try:
            seq = main_conn.send(family, cmd, attrs, flags)
            err, data = main_conn.finish(seq)
        except (ValueError, socket.timeout) as e:
            print(f"nlfuzz: seed {args.seed}: request {i} (cmd {cmd}): bad reply: {e}")
            return 1
        data_msgs += data
        if err:
            refused += 1
            errors[err] = errors.get(err, 0) + 1
        else:
            ok += 1
        if args.unprivileged and (not err or data):
            print(f"nlfuzz: seed {args.seed}: unprivileged request {i} (cmd {cmd}) "
                  f"was not refused (error {err}, {data} messages)")
            return 1
        # Unknown commands (or a dump of a do-only one) are refused before the check.
        if args.unprivileged and err not in (errno.EPERM, errno.EOPNOTSUPP):
            print(f"nlfuzz: seed {args.seed}: unprivileged request {i} (cmd {cmd}) "
                  f"refused with {errno.errorcode.get(err, err)}, want EPERM")
            return 1
    if pending is not None:
        dump_conn.finish(pending)
    names = " ".join(f"{errno.errorcode.get(e, e)}={n}" for e, n in sorted(errors.items()))
    print(f"nlfuzz: seed {args.seed}: {args.count} requests, {ok} accepted, {refused} refused "
          f"({names}), {data_msgs} data messages, {dumps_left} interleaved dumps")
    return 0


if __name__ == "__main__":
    sys.exit(main())
