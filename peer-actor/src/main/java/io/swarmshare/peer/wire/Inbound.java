package io.swarmshare.peer.wire;

import io.swarmshare.messages.wire.Handshake;
import io.swarmshare.messages.wire.PeerMessage;

/** What arrives on a connection: first the remote's handshake, then its messages. */
public sealed interface Inbound {

  record Greeting(Handshake handshake) implements Inbound {}

  record Message(PeerMessage message) implements Inbound {}
}
