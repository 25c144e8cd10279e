package io.swarmshare.peer;

import io.swarmshare.messages.PeerId;
import io.swarmshare.peer.bandwidth.Rates;
import io.swarmshare.peer.crypto.TorrentKeys;
import io.swarmshare.peer.storage.DiskQueue;
import io.swarmshare.peer.udp.NodeSocket;
import org.apache.pekko.actor.typed.ActorRef;

/**
 * The node-wide services a {@link Session} hands to every torrent and connection it runs: the
 * node's peer id, its settings, the node's upload and download rate limits, the disk pool (the
 * blocking dispatcher, counted) where every read, write and hash runs, the checking queue that lets
 * one torrent at a time check its data, the node's one UDP socket, and the torrents it holds as an
 * encrypted handshake names them.
 */
public record SessionContext(PeerId ourId, PeerSettings settings, Rates rates, DiskQueue disk,
    ActorRef<Checking.Command> checking, ActorRef<NodeSocket.Command> udp, TorrentKeys torrentKeys) {}
