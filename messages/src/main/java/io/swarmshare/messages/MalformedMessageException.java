package io.swarmshare.messages;

/**
 * Input from outside (a .torrent, a datagram, a frame, a query, a link) that does not follow its
 * format. Every decoder in this module throws this, or a subclass, and nothing else, for bad input.
 * The message is printable: whatever it quotes of the input is escaped ({@link Printable}), so it
 * can go to a log, a terminal or an HTTP reply as it is.
 */
public class MalformedMessageException extends RuntimeException {

  public MalformedMessageException(String message) {
    super(Printable.escape(message));
  }
}
