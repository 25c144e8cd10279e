package io.swarmshare.peer.metadata;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.swarmshare.messages.InfoHash;
import io.swarmshare.messages.MalformedMessageException;
import io.swarmshare.messages.wire.MetadataMessage;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class MetadataAssemblyTest {

  static final byte[] METADATA = new byte[40_000];

  static {
    new Random(1).nextBytes(METADATA);
  }

  static InfoHash hashOf(byte[] bytes) throws Exception {
    return InfoHash.of(MessageDigest.getInstance("SHA-1").digest(bytes));
  }

  static MetadataMessage.Data piece(byte[] of, int piece) {
    int start = piece * MetadataMessage.PIECE_LENGTH;
    return new MetadataMessage.Data(piece, of.length,
        ByteBuffer.wrap(Arrays.copyOfRange(of, start, Math.min(of.length, start + MetadataMessage.PIECE_LENGTH))));
  }

  @Test
  void piecesInAnyOrderMakeTheDictionaryThatHashesToTheInfoHash() throws Exception {
    MetadataAssembly a = new MetadataAssembly(hashOf(METADATA), METADATA.length);
    assertThat(a.pieceCount()).isEqualTo(3);
    a.accept(piece(METADATA, 2));
    a.accept(piece(METADATA, 0));
    assertThat(a.complete()).isFalse();
    a.accept(piece(METADATA, 1));
    assertThat(a.complete()).isTrue();
    assertThat(a.verified()).hasValueSatisfying(bytes -> assertThat(bytes).isEqualTo(METADATA));
  }

  @Test
  void bytesThatDoNotHashToTheInfoHashAreNotTheMetadata() throws Exception {
    byte[] forged = METADATA.clone();
    forged[100] ^= 1;
    MetadataAssembly a = new MetadataAssembly(hashOf(METADATA), METADATA.length);
    for (int i = 0; i < 3; i++) {
      a.accept(piece(forged, i));
    }
    assertThat(a.verified()).isEmpty();
  }

  @Test
  void aPieceOutOfRangeOfTheWrongLengthOrForAnotherTotalIsRefused() throws Exception {
    MetadataAssembly a = new MetadataAssembly(hashOf(METADATA), METADATA.length);
    assertThatThrownBy(() -> a.accept(new MetadataMessage.Data(3, METADATA.length, ByteBuffer.allocate(10))))
        .isInstanceOf(MalformedMessageException.class).hasMessage("metadata piece 3 of 3");
    assertThatThrownBy(() -> a.accept(new MetadataMessage.Data(0, METADATA.length, ByteBuffer.allocate(100))))
        .isInstanceOf(MalformedMessageException.class).hasMessage("metadata piece 0 has 100 bytes, not 16384");
    assertThatThrownBy(() -> a.accept(new MetadataMessage.Data(2, 1_000_000, ByteBuffer.allocate(10))))
        .isInstanceOf(MalformedMessageException.class)
        .hasMessage("metadata piece 2 says the total is 1000000 bytes, not the 40000 announced");
  }
}
