#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""UDP datagrams of chosen sizes, to see them arrive whole.

udp-sizes.py serve NAME PORT ADDR...: answer each datagram on ADDR:PORT with
    "NAME LENGTH", from ADDR (bound to it: a DR reply leaves from the VIP).
udp-sizes.py send ADDR PORT SIZE...: from one socket (one flow), send one
    datagram of each SIZE and print each answer on a line.
"""
import selectors
import socket
import sys


def serve(name, port, addrs):
    sel = selectors.DefaultSelector()
    for addr in addrs:
        family = socket.AF_INET6 if ":" in addr else socket.AF_INET
        s = socket.socket(family, socket.SOCK_DGRAM)
        s.bind((addr, port))
        sel.register(s, selectors.EVENT_READ)
    while True:
        for key, _ in sel.select():
            data, peer = key.fileobj.recvfrom(65535)
            key.fileobj.sendto(f"{name} {len(data)}".encode(), peer)


def send(addr, port, sizes):
    family = socket.AF_INET6 if ":" in addr else socket.AF_INET
    s = socket.socket(family, socket.SOCK_DGRAM)
    s.settimeout(3)
    s.connect((addr, port))
    for size in sizes:
        s.send(b"x" * size)
        try:
            print(s.recv(100).decode())
        except socket.timeout:
            print("(no answer)")


if __name__ == "__main__":
    if sys.argv[1] == "serve":
        serve(sys.argv[2], int(sys.argv[3]), sys.argv[4:])
    else:
        send(sys.argv[2], int(sys.argv[3]), [int(n) for n in sys.argv[4:]])
