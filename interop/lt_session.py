"""The libtorrent session settings our interop scripts share: loopback only, nothing but BitTorrent
over TCP to the peers and trackers they are given."""
import libtorrent as lt


def session(**settings):
    """A session listening on 127.0.0.1 with DHT, LSD, UPnP and NAT-PMP off; settings override."""
    base = {
        "listen_interfaces": "127.0.0.1:0",
        "enable_dht": False,
        "enable_lsd": False,
        "enable_upnp": False,
        "enable_natpmp": False,
        "allow_multiple_connections_per_ip": True,
    }
    base.update(settings)
    return lt.session(base)
