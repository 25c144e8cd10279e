"""Two libtorrent sessions, a seeder and a leecher, that find each other only through a tracker.

usage: two_libtorrent_peers.py TORRENT SEED_DIR LEECH_DIR TIMEOUT_SECONDS

The torrent's own announce URL is the tracker. Prints one JSON line: whether the leecher finished,
how many peers it had, and what the tracker told each session.
"""
import json
import sys
import time

import libtorrent as lt

import lt_session


def session():
    return lt_session.session(
        alert_mask=lt.alert.category_t.tracker_notification | lt.alert.category_t.error_notification)


def main():
    torrent, seed_dir, leech_dir, timeout = sys.argv[1], sys.argv[2], sys.argv[3], float(sys.argv[4])
    info = lt.torrent_info(torrent)
    seeder_session, leecher_session = session(), session()
    seeder = seeder_session.add_torrent({"ti": info, "save_path": seed_dir})
    leecher = leecher_session.add_torrent({"ti": lt.torrent_info(torrent), "save_path": leech_dir})
    replies = {"seeder": [], "leecher": []}
    deadline = time.time() + timeout
    finished = False
    while time.time() < deadline:
        for name, s in (("seeder", seeder_session), ("leecher", leecher_session)):
            for alert in s.pop_alerts():
                if isinstance(alert, lt.tracker_reply_alert):
                    replies[name].append({"peers": alert.num_peers})
                elif isinstance(alert, (lt.tracker_error_alert, lt.tracker_warning_alert)):
                    replies[name].append({"error": alert.message()})
        if leecher.status().is_seeding:
            finished = True
            break
        time.sleep(0.2)
    status = leecher.status()
    print(json.dumps({
        "finished": finished,
        "progress": status.progress,
        "downloaded": status.total_payload_download,
        "seederState": str(seeder.status().state),
        "replies": replies,
    }))


main()
