package io.swarmshare.messages;

/**
 * Input from outside (a .torrent, a datagram, a frame, a query, a link) that does not follow its
 * format. Every decoder in this module throws this, or a subclass, and nothing else, for bad input.
 */
public class MalformedMessageException extends RuntimeException {

  public MalformedMessageException(String message) {
    super(message);
  }
}
