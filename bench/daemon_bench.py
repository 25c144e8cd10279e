"""Helpers of the daemon benchmarks (bench/daemon-*.sh); run with /usr/bin/python3.

  make OUT COUNT BYTES [--piece BYTES]
      writes COUNT files of random bytes, OUT/data/bench-NNNNN.bin, and a single-file v1
      .torrent for each, OUT/torrents/bench-NNNNN.torrent (no trackers), hashing as it writes.
  add URL TORRENT_DIR DOWNLOAD_DIR [--first I] [--count N]
      adds the .torrent files to a Transmission-RPC daemon (ours or transmission-daemon) with
      torrent-add {filename, download-dir}, over one keep-alive connection; prints how many.
  wait-seeding URL COUNT [--timeout S] [--interval S]
      polls torrent-get (id, status) from before the daemon listens until COUNT torrents are
      there and all are seeding (status 6); prints {"seeding_at": UNIX_TIME}.
  lt-seed TORRENT_DIR DATA_DIR RESUME_DIR [--resume] [--timeout S]
      a libtorrent session adds every torrent (with its resume data from RESUME_DIR when
      --resume and it exists), prints {"seeding_at": UNIX_TIME} once all are seeding, then saves
      every torrent's resume data to RESUME_DIR (write_resume_data_buf) and exits.

Every loop is bounded in time; everything is on 127.0.0.1.
"""
import argparse
import hashlib
import http.client
import json
import os
import sys
import time
import urllib.parse


def bencode(value):
    if isinstance(value, int):
        return b"i%de" % value
    if isinstance(value, str):
        value = value.encode()
    if isinstance(value, bytes):
        return b"%d:%s" % (len(value), value)
    if isinstance(value, dict):
        items = sorted((k.encode() if isinstance(k, str) else k, v) for k, v in value.items())
        return b"d" + b"".join(bencode(k) + bencode(v) for k, v in items) + b"e"
    raise TypeError(type(value))


def make(args):
    data = os.path.join(args.out, "data")
    torrents = os.path.join(args.out, "torrents")
    os.makedirs(data, exist_ok=True)
    os.makedirs(torrents, exist_ok=True)
    for i in range(args.count):
        name = "bench-%05d.bin" % i
        pieces = []
        with open(os.path.join(data, name), "wb") as f:
            left = args.bytes
            while left > 0:
                chunk = os.urandom(min(args.piece, left))
                f.write(chunk)
                pieces.append(hashlib.sha1(chunk).digest())
                left -= len(chunk)
        info = {"name": name, "length": args.bytes, "piece length": args.piece, "pieces": b"".join(pieces)}
        with open(os.path.join(torrents, "bench-%05d.torrent" % i), "wb") as f:
            f.write(bencode({"info": info, "created by": "bench/daemon_bench.py"}))
    print(json.dumps({"made": args.count, "bytes": args.bytes}))


class Rpc:
    """Transmission's RPC over one keep-alive connection, with the 409 session-id handshake."""

    def __init__(self, url, timeout=30):
        u = urllib.parse.urlsplit(url)
        self.host, self.port, self.path = u.hostname, u.port, u.path
        self.timeout = timeout
        self.conn = None
        self.session_id = ""

    def call(self, method, arguments):
        body = json.dumps({"method": method, "arguments": arguments}).encode()
        for _ in range(3):
            if self.conn is None:
                self.conn = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
            try:
                self.conn.request("POST", self.path, body, {"X-Transmission-Session-Id": self.session_id,
                                                            "Content-Type": "application/json"})
                response = self.conn.getresponse()
                payload = response.read()
            except (OSError, http.client.HTTPException):
                self.conn.close()
                self.conn = None
                raise
            if response.status == 409:
                self.session_id = response.getheader("X-Transmission-Session-Id", "")
                continue
            if response.status != 200:
                raise RuntimeError("%s: HTTP %d: %s" % (method, response.status, payload[:200]))
            answer = json.loads(payload)
            if answer.get("result") != "success":
                raise RuntimeError("%s: %s" % (method, answer.get("result")))
            return answer["arguments"]
        raise RuntimeError("%s: 409 three times" % method)


def add(args):
    rpc = Rpc(args.url)
    names = sorted(n for n in os.listdir(args.torrent_dir) if n.endswith(".torrent"))
    names = names[args.first:args.first + args.count] if args.count is not None else names[args.first:]
    for n in names:
        rpc.call("torrent-add", {"filename": os.path.abspath(os.path.join(args.torrent_dir, n)),
                                 "download-dir": os.path.abspath(args.download_dir)})
    print(json.dumps({"added": len(names)}))


def wait_seeding(args):
    rpc = Rpc(args.url, timeout=10)
    deadline = time.monotonic() + args.timeout
    last = "nothing"
    while time.monotonic() < deadline:
        try:
            torrents = rpc.call("torrent-get", {"fields": ["id", "status"]})["torrents"]
            seeding = sum(1 for t in torrents if t["status"] == 6)
            last = "%d torrents, %d seeding" % (len(torrents), seeding)
            if len(torrents) == args.count and seeding == args.count:
                print(json.dumps({"seeding_at": time.time()}), flush=True)
                return
        except (OSError, http.client.HTTPException) as e:
            last = "no answer (%s)" % e
        time.sleep(args.interval)
    sys.exit("wait-seeding: not %d seeding after %.0f s: %s" % (args.count, args.timeout, last))


def lt_seed(args):
    import libtorrent as lt
    sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "interop"))
    import lt_session

    session = lt_session.session(alert_mask=lt.alert.category_t.status_notification
                                 | lt.alert.category_t.error_notification,
                                 enable_outgoing_utp=False, enable_incoming_utp=False)
    os.makedirs(args.resume_dir, exist_ok=True)
    names = sorted(n[:-len(".torrent")] for n in os.listdir(args.torrent_dir) if n.endswith(".torrent"))
    for n in names:
        resume = os.path.join(args.resume_dir, n + ".resume")
        if args.resume and os.path.exists(resume):
            with open(resume, "rb") as f:
                atp = lt.read_resume_data(f.read())
        else:
            atp = lt.add_torrent_params()
        atp.ti = lt.torrent_info(os.path.join(args.torrent_dir, n + ".torrent"))
        atp.save_path = os.path.abspath(args.data_dir)
        if args.not_auto_managed:
            atp.flags &= ~(lt.torrent_flags.auto_managed | lt.torrent_flags.paused)
        session.async_add_torrent(atp)
    deadline = time.monotonic() + args.timeout
    while True:
        handles = session.get_torrents()
        if len(handles) == len(names) and all(h.status().is_seeding for h in handles):
            print(json.dumps({"seeding_at": time.time(), "torrents": len(handles)}), flush=True)
            break
        if time.monotonic() > deadline:
            sys.exit("lt-seed: not all %d seeding after %.0f s" % (len(names), args.timeout))
        for a in session.pop_alerts():
            if isinstance(a, lt.torrent_error_alert):
                sys.exit("lt-seed: " + a.message())
        time.sleep(0.01)
    # Untimed: the resume data of every torrent, as a client saves it when it shuts down.
    by_name = {}
    for h in handles:
        by_name[h] = h.status().name
        h.save_resume_data(lt.torrent_handle.save_info_dict)
    waiting = len(handles)
    while waiting > 0 and time.monotonic() < deadline + 60:
        session.wait_for_alert(1000)
        for a in session.pop_alerts():
            if isinstance(a, lt.save_resume_data_alert):
                name = a.torrent_name[:-len(".bin")] if a.torrent_name.endswith(".bin") else a.torrent_name
                with open(os.path.join(args.resume_dir, name + ".resume"), "wb") as f:
                    f.write(lt.write_resume_data_buf(a.params))
                waiting -= 1
            elif isinstance(a, lt.save_resume_data_failed_alert):
                sys.exit("lt-seed: " + a.message())
    if waiting:
        sys.exit("lt-seed: %d torrents did not save their resume data" % waiting)


def main():
    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("make")
    p.add_argument("out")
    p.add_argument("count", type=int)
    p.add_argument("bytes", type=int)
    p.add_argument("--piece", type=int, default=1 << 20)
    p.set_defaults(run=make)
    p = sub.add_parser("add")
    p.add_argument("url")
    p.add_argument("torrent_dir")
    p.add_argument("download_dir")
    p.add_argument("--first", type=int, default=0)
    p.add_argument("--count", type=int)
    p.set_defaults(run=add)
    p = sub.add_parser("wait-seeding")
    p.add_argument("url")
    p.add_argument("count", type=int)
    p.add_argument("--timeout", type=float, default=600)
    p.add_argument("--interval", type=float, default=0.02)
    p.set_defaults(run=wait_seeding)
    p = sub.add_parser("lt-seed")
    p.add_argument("torrent_dir")
    p.add_argument("data_dir")
    p.add_argument("resume_dir")
    p.add_argument("--resume", action="store_true")
    p.add_argument("--not-auto-managed", action="store_true")
    p.add_argument("--timeout", type=float, default=600)
    p.set_defaults(run=lt_seed)
    args = parser.parse_args()
    args.run(args)


if __name__ == "__main__":
    main()
