"""A libtorrent leecher that downloads a torrent from one peer it is told about, with no tracker.

usage: libtorrent_leecher.py TORRENT SAVE_DIR HOST PORT TIMEOUT_SECONDS

Prints one JSON line: whether it finished, its progress and how many payload bytes it got.
"""
import json
import sys
import time

import libtorrent as lt


def main():
    torrent, save_dir, host, port, timeout = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), float(sys.argv[5])
    session = lt.session({
        "listen_interfaces": "127.0.0.1:0",
        "enable_dht": False,
        "enable_lsd": False,
        "enable_upnp": False,
        "enable_natpmp": False,
        "allow_multiple_connections_per_ip": True,
        # Our peer speaks BitTorrent over TCP only; libtorrent would try uTP first.
        "enable_outgoing_utp": False,
        "enable_incoming_utp": False,
    })
    handle = session.add_torrent({"ti": lt.torrent_info(torrent), "save_path": save_dir})
    deadline = time.time() + timeout
    next_connect = 0
    while time.time() < deadline and not handle.status().is_seeding:
        if time.time() >= next_connect and handle.status().num_peers == 0:
            handle.connect_peer((host, port))
            next_connect = time.time() + 2
        time.sleep(0.1)
    status = handle.status()
    print(json.dumps({
        "finished": status.is_seeding,
        "progress": status.progress,
        "downloaded": status.total_payload_download,
    }))


main()
