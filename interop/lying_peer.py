"""A peer that lies: it says it has every piece of a torrent and answers every request with random
bytes. The hostile peer of bench/chaos.sh; honest clients must find it out by the piece hashes.

usage: lying_peer.py TORRENT --port P [--tracker udp://HOST:PORT/announce] [--timeout S]

It listens on 127.0.0.1:P, announces itself as a seeder to the UDP tracker every 5 s (BEP 15),
prints {"listening": P} once, and on SIGTERM or after --timeout (default 600 s) prints
{"connections": N, "blocks": B} and exits.
"""
import argparse
import json
import os
import random
import signal
import socket
import struct
import threading
import time
import urllib.parse

import libtorrent as lt

PROTOCOL = b"\x13BitTorrent protocol"
stats = {"connections": 0, "blocks": 0}
lock = threading.Lock()


def read_exactly(conn, n):
    data = b""
    while len(data) < n:
        chunk = conn.recv(n - len(data))
        if not chunk:
            raise ConnectionError("closed")
        data += chunk
    return data


def serve(conn, info_hash, pieces, peer_id):
    try:
        conn.settimeout(120)
        theirs = read_exactly(conn, 68)
        if not theirs.startswith(PROTOCOL) or theirs[28:48] != info_hash:
            return
        with lock:
            stats["connections"] += 1
        conn.sendall(PROTOCOL + bytes(8) + info_hash + peer_id)
        bitfield = bytearray((pieces + 7) // 8)
        for i in range(pieces):
            bitfield[i // 8] |= 0x80 >> (i % 8)
        conn.sendall(struct.pack(">IB", 1 + len(bitfield), 5) + bytes(bitfield))
        while True:
            length = struct.unpack(">I", read_exactly(conn, 4))[0]
            if length == 0:
                continue
            if length > 1 << 20:
                return
            message = read_exactly(conn, length)
            if message[0] == 2:  # interested: unchoke
                conn.sendall(struct.pack(">IB", 1, 1))
            elif message[0] == 6 and length == 13:  # request: random bytes instead of the block
                index, begin, size = struct.unpack(">III", message[1:13])
                if size > 1 << 17:
                    return
                conn.sendall(struct.pack(">IBII", 9 + size, 7, index, begin) + os.urandom(size))
                with lock:
                    stats["blocks"] += 1
    except (OSError, ConnectionError):
        pass
    finally:
        conn.close()


def announce_forever(tracker, info_hash, peer_id, port, stop):
    url = urllib.parse.urlparse(tracker)
    address = (url.hostname, url.port)
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.settimeout(2)
    while not stop.is_set():
        try:
            tx = random.getrandbits(31)
            sock.sendto(struct.pack(">QII", 0x41727101980, 0, tx), address)
            answer = sock.recv(2048)
            connection_id = struct.unpack(">IIQ", answer[:16])[2]
            tx = random.getrandbits(31)
            sock.sendto(struct.pack(">QII20s20sQQQIIIiH", connection_id, 1, tx, info_hash, peer_id, 0, 0, 0, 0, 0,
                                    random.getrandbits(31), -1, port), address)
            sock.recv(2048)
        except OSError:
            pass
        stop.wait(5)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("torrent")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--tracker")
    parser.add_argument("--timeout", type=float, default=600)
    args = parser.parse_args()

    info = lt.torrent_info(args.torrent)
    info_hash = bytes.fromhex(str(info.info_hash()))
    peer_id = b"-LY0001-" + os.urandom(12)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())

    server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    server.bind(("127.0.0.1", args.port))
    server.listen(64)
    server.settimeout(0.5)
    if args.tracker:
        threading.Thread(target=announce_forever, args=(args.tracker, info_hash, peer_id, args.port, stop),
                         daemon=True).start()
    print(json.dumps({"listening": args.port}), flush=True)
    deadline = time.monotonic() + args.timeout
    while not stop.is_set() and time.monotonic() < deadline:
        try:
            conn, _ = server.accept()
        except socket.timeout:
            continue
        threading.Thread(target=serve, args=(conn, info_hash, info.num_pieces(), peer_id), daemon=True).start()
    with lock:
        print(json.dumps(stats), flush=True)


if __name__ == "__main__":
    main()
