package io.swarmshare.messages.bencode;

import io.swarmshare.messages.MalformedMessageException;

/** Input that is not valid bencode, with the offset where reading went wrong. */
public final class BencodeException extends MalformedMessageException {

  private final int offset;

  public BencodeException(int offset, String message) {
    super("invalid bencode at offset " + offset + ": " + message);
    this.offset = offset;
  }

  public int offset() {
    return offset;
  }
}
