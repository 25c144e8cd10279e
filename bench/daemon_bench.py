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

  page-watch WEBDRIVER PAGE SECONDS --pid PID --profile DIR
      a fresh headless Chromium (through chromedriver at WEBDRIVER, its profile in DIR) opens the
      web UI at PAGE; prints {"first_render_ms": ..., "rows": ..., "cpu_per_s": ...}: the time from
      the navigation's start until the list's first rows are in the document, and PID's CPU
      (user + system, in CPU-seconds a second) while the page then stays open SECONDS.
  stream-bytes EVENTS SECONDS
      reads the web UI's event stream at EVENTS for SECONDS (as a page would; no browser) and prints
      {"first_event_bytes": ..., "steady_bytes_per_s": ..., "events": ...}: the first message (the
      whole list) apart from what follows it.
  list-bytes URL
      prints {"bytes": ...}: the answer's size to the torrent-get that transmission-remote -l sends.
  churn URL PER_SECOND SECONDS
      for SECONDS, each second: starts the torrents it stopped the second before, and stops the
      next PER_SECOND (by id, round the list), so that 2 x PER_SECOND torrents change state a second.

Every loop is bounded in time; everything is on 127.0.0.1.
"""
import argparse
import hashlib
import http.client
import json
import os
import sys
import threading
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


def cpu_seconds(pid):
    with open("/proc/%d/stat" % pid) as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime, stime


class WebDriver:
    """The W3C WebDriver protocol of chromedriver, over HTTP: just what page-watch needs."""

    def __init__(self, url):
        u = urllib.parse.urlsplit(url)
        self.conn = http.client.HTTPConnection(u.hostname, u.port, timeout=120)
        self.session = None

    def send(self, method, path, body=None):
        self.conn.request(method, path, json.dumps(body) if body is not None else None,
                          {"Content-Type": "application/json"})
        answer = json.loads(self.conn.getresponse().read() or b"{}")
        value = answer.get("value")
        if isinstance(value, dict) and "error" in value:
            raise RuntimeError("webdriver %s %s: %s: %s" % (method, path, value["error"], value.get("message", "")))
        return value

    def start(self, profile):
        args = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--user-data-dir=" + profile, "--window-size=1280,900"]
        value = self.send("POST", "/session", {"capabilities": {"alwaysMatch": {
            "browserName": "chrome", "goog:chromeOptions": {"binary": "/usr/bin/chromium", "args": args}}}})
        self.session = value["sessionId"]
        self.send("POST", "/session/%s/timeouts" % self.session, {"script": 120000, "pageLoad": 120000})

    def run(self, method, path, body=None):
        return self.send(method, "/session/%s%s" % (self.session, path), body)

    def quit(self):
        if self.session:
            self.send("DELETE", "/session/" + self.session)


# Resolves with performance.now() (milliseconds since the navigation began) once the list's body
# holds a row: a MutationObserver sees the rows go in, before the browser paints them.
FIRST_ROWS = """
const done = arguments[arguments.length - 1];
const rows = () => document.querySelectorAll('#rows tr').length;
if (rows()) { done([performance.now(), rows(), true]); return; }
new MutationObserver((m, o) => { if (rows()) { o.disconnect(); done([performance.now(), rows(), false]); } })
  .observe(document.getElementById('rows'), {childList: true});
"""


def page_watch(args):
    driver = WebDriver(args.webdriver)
    driver.start(args.profile)
    try:
        driver.run("POST", "/url", {"url": args.page})
        first_ms, rows, already = driver.run("POST", "/execute/async", {"script": FIRST_ROWS, "args": []})
        c0, t0 = cpu_seconds(args.pid), time.monotonic()
        time.sleep(args.seconds)
        c1, t1 = cpu_seconds(args.pid), time.monotonic()
        live = driver.run("POST", "/execute/sync", {
            "script": "return document.getElementById('connection').textContent", "args": []})
        if live != "live":
            sys.exit("page-watch: the page is not live after %d s: %s" % (args.seconds, live))
        # Rows already there when the script first ran: the time is when it looked, an upper bound.
        print(json.dumps({"first_render_ms": round(first_ms, 1), "rows": rows, "upper_bound": already,
                          "cpu_per_s": round((c1 - c0) / (t1 - t0), 4)}))
    finally:
        driver.quit()


def stream_bytes(args):
    u = urllib.parse.urlsplit(args.events)
    conn = http.client.HTTPConnection(u.hostname, u.port, timeout=30)
    conn.request("GET", u.path, headers={"Accept": "text/event-stream"})
    response = conn.getresponse()
    if response.status != 200:
        sys.exit("stream-bytes: HTTP %d" % response.status)
    # A reader thread, since a read that times out leaves http.client's response unusable; the
    # keep-alive comments (15 s apart by default) keep its reads within the 30 s timeout.
    state = {"bytes": b"", "first": None, "first_at": None, "ended": False}
    lock = threading.Lock()

    def read():
        while True:
            try:
                chunk = response.read1(65536)
            except (OSError, http.client.HTTPException):
                chunk = b""
            with lock:
                if not chunk:
                    state["ended"] = True
                    return
                state["bytes"] += chunk
                if state["first"] is None and b"\n\n" in state["bytes"]:
                    state["first"] = state["bytes"].index(b"\n\n") + 2
                    state["first_at"] = time.monotonic()

    threading.Thread(target=read, daemon=True).start()
    deadline = time.monotonic() + args.seconds
    time.sleep(args.seconds)
    with lock:
        received, first, first_at, ended = state["bytes"], state["first"], state["first_at"], state["ended"]
    if ended:
        sys.exit("stream-bytes: the stream ended")
    if first is None:
        sys.exit("stream-bytes: no whole message in %d s" % args.seconds)
    print(json.dumps({"first_event_bytes": first,
                      "steady_bytes_per_s": round((len(received) - first) / (deadline - first_at), 1),
                      "events": received.count(b"event: update") + received.count(b"event:update")}))


LIST_FIELDS = ["error", "errorString", "eta", "id", "isFinished", "leftUntilDone", "name", "peersGettingFromUs",
               "peersSendingToUs", "rateDownload", "rateUpload", "sizeWhenDone", "status", "uploadRatio"]


def list_bytes(args):
    rpc = Rpc(args.url)
    rpc.call("session-get", {})  # the 409 handshake first
    body = json.dumps({"arguments": {"fields": LIST_FIELDS}, "method": "torrent-get", "tag": 4}).encode()
    rpc.conn.request("POST", rpc.path, body, {"X-Transmission-Session-Id": rpc.session_id})
    print(json.dumps({"bytes": len(rpc.conn.getresponse().read())}))


def churn(args):
    rpc = Rpc(args.url)
    ids = sorted(t["id"] for t in rpc.call("torrent-get", {"fields": ["id"]})["torrents"])
    stopped = []
    begin = time.monotonic()
    for second in range(args.seconds):
        if stopped:
            rpc.call("torrent-start", {"ids": stopped})
        stopped = [ids[(second * args.per_second + k) % len(ids)] for k in range(args.per_second)]
        rpc.call("torrent-stop", {"ids": stopped})
        time.sleep(max(0.0, begin + second + 1 - time.monotonic()))
    if stopped:
        rpc.call("torrent-start", {"ids": stopped})


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
    p = sub.add_parser("page-watch")
    p.add_argument("webdriver")
    p.add_argument("page")
    p.add_argument("seconds", type=int)
    p.add_argument("--pid", type=int, required=True)
    p.add_argument("--profile", required=True)
    p.set_defaults(run=page_watch)
    p = sub.add_parser("stream-bytes")
    p.add_argument("events")
    p.add_argument("seconds", type=int)
    p.set_defaults(run=stream_bytes)
    p = sub.add_parser("list-bytes")
    p.add_argument("url")
    p.set_defaults(run=list_bytes)
    p = sub.add_parser("churn")
    p.add_argument("url")
    p.add_argument("per_second", type=int)
    p.add_argument("seconds", type=int)
    p.set_defaults(run=churn)
    args = parser.parse_args()
    args.run(args)


if __name__ == "__main__":
    main()
