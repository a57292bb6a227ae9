#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""rawudp: one IPv4 UDP datagram written straight to a device with a packet
socket, with what a normal socket cannot choose: the destination MAC
(broadcast, multicast), an 802.1Q tag, source port 0, the TTL.

rawudp IFACE DST_MAC SRC_IP DST_IP SPORT DPORT [--vlan ID] [--ttl N] [--count N]
"""
import argparse
import socket
import struct


def csum(data):
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack(f"!{len(data) // 2}H", data))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return ~s & 0xFFFF


def frame(smac, dmac, src, dst, sport, dport, vlan, ttl, payload):
    udp = struct.pack("!HHHH", sport, dport, 8 + len(payload), 0) + payload
    ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(udp), 0, 0, ttl,
                     socket.IPPROTO_UDP, 0, socket.inet_aton(src), socket.inet_aton(dst))
    ip = ip[:10] + struct.pack("!H", csum(ip)) + ip[12:]
    eth = dmac + smac
    if vlan is not None:
        eth += struct.pack("!HH", 0x8100, vlan)
    return eth + struct.pack("!H", 0x0800) + ip + udp


def main():
    p = argparse.ArgumentParser()
    for a in ("iface", "dmac", "src", "dst"):
        p.add_argument(a)
    p.add_argument("sport", type=int)
    p.add_argument("dport", type=int)
    p.add_argument("--vlan", type=int)
    p.add_argument("--ttl", type=int, default=64)
    p.add_argument("--count", type=int, default=1)
    a = p.parse_args()
    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
    s.bind((a.iface, 0))
    smac = s.getsockname()[4]
    f = frame(smac, bytes.fromhex(a.dmac.replace(":", "")), a.src, a.dst,
              a.sport, a.dport, a.vlan, a.ttl, b"rawudp")
    for _ in range(a.count):
        s.send(f)


if __name__ == "__main__":
    main()
