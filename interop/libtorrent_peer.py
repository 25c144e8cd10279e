"""One libtorrent session that seeds or fetches one torrent: the real client in our interop tests
and benchmarks.

usage: libtorrent_peer.py TORRENT|MAGNET DIR [--connect HOST:PORT]... [--timeout S] [--exit-when-done]
                          [--upload-limit BYTES_PER_S] [--encryption rc4|off]

DIR is the save path: a seeder is one whose DIR already holds the data. Given a magnet link it
first fetches the torrent from its peers (BEP 9). It prints
{"listening": PORT, "seeding": BOOL} once the data is checked, then connects to each --connect peer
(again every 2 s while it has none); trackers named in the torrent are used as usual. When the
download completes it prints {"finished": true, "seconds": S, "downloaded": B, "uploaded": B} with S
counted from the first connection attempt, and "encryption": the kinds of connection its peers had
("rc4", "handshake" for plaintext after an encrypted handshake, "none"). libtorrent's own
encryption settings apply unless --encryption says "rc4" (encrypted handshakes and RC4 only, both
ways) or "off" (plaintext only). With --exit-when-done it then exits; otherwise it keeps
seeding until --timeout (default 600 s) or SIGTERM, and then prints the same line once more (with
"finished" false if it never completed), so that a seeder tells how much it uploaded.
"""
import argparse
import json
import signal
import time

import libtorrent as lt

import lt_session


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("torrent")
    parser.add_argument("dir")
    parser.add_argument("--connect", action="append", default=[])
    parser.add_argument("--timeout", type=float, default=600)
    parser.add_argument("--exit-when-done", action="store_true")
    parser.add_argument("--upload-limit", type=int, default=0)
    parser.add_argument("--encryption", choices=["rc4", "off"])
    args = parser.parse_args()

    encryption = {}
    if args.encryption == "rc4":
        encryption = {"out_enc_policy": int(lt.enc_policy.pe_forced), "in_enc_policy": int(lt.enc_policy.pe_forced),
                      "allowed_enc_level": int(lt.enc_level.pe_rc4)}
    elif args.encryption == "off":
        encryption = {"out_enc_policy": int(lt.enc_policy.pe_disabled), "in_enc_policy": int(lt.enc_policy.pe_disabled)}

    session = lt_session.session(
        # swarmshare speaks BitTorrent over TCP only; libtorrent would try uTP first.
        enable_outgoing_utp=False,
        enable_incoming_utp=False,
        upload_rate_limit=args.upload_limit,
        # Loopback peers are local peers; a rate limit must apply to them too.
        ignore_limits_on_local_network=False,
        **encryption,
    )
    if args.torrent.startswith("magnet:"):
        params = lt.parse_magnet_uri(args.torrent)
        params.save_path = args.dir
        handle = session.add_torrent(params)
    else:
        handle = session.add_torrent({"ti": lt.torrent_info(args.torrent), "save_path": args.dir})
    deadline = time.time() + args.timeout
    while handle.status().state in (lt.torrent_status.checking_files, lt.torrent_status.checking_resume_data):
        time.sleep(0.05)
    print(json.dumps({"listening": session.listen_port(), "seeding": handle.status().is_seeding}), flush=True)

    peers = []
    for text in args.connect:
        host, port = text.rsplit(":", 1)
        peers.append((host, int(port)))
    started = time.time()
    finished_at = None
    next_connect = 0
    stopping = []
    seen = set()
    signal.signal(signal.SIGTERM, lambda signum, frame: stopping.append(signum))
    while time.time() < deadline and not stopping:
        status = handle.status()
        for peer in handle.get_peer_info():
            if not peer.flags & (lt.peer_info.connecting | lt.peer_info.handshake):
                seen.add(encryption_of(peer))
        if finished_at is None and status.is_seeding:
            finished_at = time.time()
            report(handle, True, finished_at - started, seen)
            if args.exit_when_done:
                return
        if peers and time.time() >= next_connect and status.num_peers == 0:
            for peer in peers:
                handle.connect_peer(peer)
            next_connect = time.time() + 2
        time.sleep(0.02)
    report(handle, finished_at is not None, (finished_at or time.time()) - started, seen)


def report(handle, finished, seconds, seen):
    status = handle.status()
    print(json.dumps({
        "finished": finished,
        "seconds": round(seconds, 3),
        "progress": status.progress,
        "downloaded": status.total_payload_download,
        "uploaded": status.total_payload_upload,
        "encryption": sorted(seen),
    }), flush=True)


def encryption_of(peer):
    if peer.flags & lt.peer_info.rc4_encrypted:
        return "rc4"
    if peer.flags & lt.peer_info.plaintext_encrypted:
        return "handshake"
    return "none"


main()
