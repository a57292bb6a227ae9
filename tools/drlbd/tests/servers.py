#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""The real servers the host tests probe, one per process:

  servers.py http ADDR PORT STATEFILE   HTTP/1.1; the status is STATEFILE's
                                        number (200 when absent); each request's
                                        line and headers go to STATEFILE.req
  servers.py silent ADDR PORT           accepts, then never says a word
  servers.py reply ADDR PORT TEXT       accepts, sends TEXT, closes
  servers.py accept ADDR PORT           accepts and closes, a thousand a second
  servers.py http-many ADDR PORT        HTTP/1.1 200 to a thousand a second (asyncio)
  servers.py dns ADDR PORT RCODE        answers every query with RCODE, after a
                                        NOERROR answer with the wrong id
"""
import asyncio
import http.server
import selectors
import socket
import sys


def listener(addr, port, backlog=1024):
    family = socket.AF_INET6 if ":" in addr else socket.AF_INET
    s = socket.socket(family, socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind((addr, port))
    s.listen(backlog)
    return s


def serve_http(addr, port, state):
    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self):
            try:
                with open(state) as f:
                    status = int(f.read().strip() or 200)
            except FileNotFoundError:
                status = 200
            with open(state + ".req", "w") as f:
                f.write(self.requestline + "\n" + str(self.headers))
            body = b"drlbd test\n"
            self.send_response(status)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    class Server(http.server.ThreadingHTTPServer):
        address_family = socket.AF_INET6 if ":" in addr else socket.AF_INET
        daemon_threads = True

    Server((addr, port), Handler).serve_forever()


def serve_silent(addr, port):
    s = listener(addr, port)
    held = []
    while True:
        held.append(s.accept()[0])


def serve_reply(addr, port, text):
    s = listener(addr, port)
    while True:
        c = s.accept()[0]
        c.sendall(text.encode().decode("unicode_escape").encode())
        c.close()


def serve_accept(addr, port):
    s = listener(addr, port, 4096)
    s.setblocking(False)
    sel = selectors.DefaultSelector()
    sel.register(s, selectors.EVENT_READ)
    while True:
        sel.select()
        while True:
            try:
                c = s.accept()[0]
            except BlockingIOError:
                break
            except OSError:
                continue
            c.close()


def serve_http_many(addr, port):
    async def answer(reader, writer):
        try:
            await reader.readuntil(b"\r\n\r\n")
            writer.write(b"HTTP/1.1 200 OK\r\nContent-Length: 3\r\n"
                         b"Connection: close\r\n\r\nok\n")
            await writer.drain()
        except (OSError, asyncio.IncompleteReadError):
            pass
        writer.close()

    async def serve():
        server = await asyncio.start_server(answer, addr, port, backlog=4096)
        await server.serve_forever()

    asyncio.run(serve())


def serve_dns(addr, port, rcode):
    family = socket.AF_INET6 if ":" in addr else socket.AF_INET
    s = socket.socket(family, socket.SOCK_DGRAM)
    s.bind((addr, port))
    while True:
        query, peer = s.recvfrom(512)
        if len(query) < 12:
            continue
        wrong = bytes([query[0] ^ 0xff, query[1]])
        # QR, the query's opcode and RD, then RA and the rcode; the question back
        flags = bytes([0x80 | (query[2] & 0x79), 0x80 | rcode])
        rest = query[4:6] + b"\0\0\0\0\0\0" + query[12:]
        s.sendto(wrong + bytes([0x80 | (query[2] & 0x79), 0x80]) + rest, peer)
        s.sendto(query[:2] + flags + rest, peer)


def main():
    kind, addr, port = sys.argv[1], sys.argv[2], int(sys.argv[3])
    if kind == "http":
        serve_http(addr, port, sys.argv[4])
    elif kind == "silent":
        serve_silent(addr, port)
    elif kind == "reply":
        serve_reply(addr, port, sys.argv[4])
    elif kind == "accept":
        serve_accept(addr, port)
    elif kind == "http-many":
        serve_http_many(addr, port)
    elif kind == "dns":
        serve_dns(addr, port, int(sys.argv[4]))
    else:
        sys.exit("servers.py: no server '%s'" % kind)


if __name__ == "__main__":
    main()
