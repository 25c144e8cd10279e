package io.swarmshare.peer.pieces;

import static io.swarmshare.peer.pieces.PiecePicker.BLOCK_SIZE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.swarmshare.messages.Bitfield;
import io.swarmshare.peer.pieces.BlockReceipt.Status;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PiecePickerTest {

  /** A torrent of {@code pieces} one-block pieces, nothing on disk. */
  private static PiecePicker<String> oneBlockPieces(int pieces, long seed) {
    return new PiecePicker<>((long) pieces * BLOCK_SIZE, BLOCK_SIZE, new Bitfield(pieces), new Random(seed));
  }

  private static Bitfield bits(int count, int... set) {
    Bitfield bits = new Bitfield(count);
    for (int i : set) {
      bits.set(i);
    }
    return bits;
  }

  private static List<Integer> pieces(List<BlockRequest> requests) {
    return requests.stream().map(BlockRequest::piece).toList();
  }

  /** Delivers every block of {@code requests} from {@code peer}; verifies each piece it completes. */
  private static void deliverAndVerify(PiecePicker<String> picker, String peer, List<BlockRequest> requests) {
    for (BlockRequest r : requests) {
      BlockReceipt<String> receipt = picker.blockReceived(peer, r.piece(), r.begin(), r.length());
      assertThat(receipt.status()).isEqualTo(Status.ACCEPTED);
      if (receipt.pieceComplete()) {
        picker.pieceVerified(r.piece());
      }
    }
  }

  /** Delivers every block of {@code requests} from {@code peer}, verifying nothing; returns the last receipt. */
  private static BlockReceipt<String> deliver(PiecePicker<String> picker, String peer, List<BlockRequest> requests) {
    BlockReceipt<String> receipt = null;
    for (BlockRequest r : requests) {
      receipt = picker.blockReceived(peer, r.piece(), r.begin(), r.length());
      assertThat(receipt.status()).isEqualTo(Status.ACCEPTED);
    }
    return receipt;
  }

  @Test
  void picksRarestFirst() {
    PiecePicker<String> picker = oneBlockPieces(4, 1);
    picker.peerHas("a", bits(4, 0, 1, 2, 3));
    picker.peerHas("b", bits(4, 0, 1, 2));
    picker.peerHas("c", bits(4, 0, 1));
    picker.peerHas("d", bits(4, 0));
    assertThat(List.of(picker.availability(0), picker.availability(1), picker.availability(2), picker.availability(3)))
        .containsExactly(4, 3, 2, 1);

    assertThat(pieces(picker.pick("a", 10))).containsExactly(3, 2, 1, 0);
  }

  @Test
  void picksRarestFirstOneAtATimeToo() {
    PiecePicker<String> picker = oneBlockPieces(4, 1);
    picker.peerHas("a", bits(4, 0, 1, 2, 3));
    picker.peerHas("b", bits(4, 1, 2, 3));
    picker.peerHas("c", bits(4, 2, 3));
    picker.peerHas("d", bits(4, 3));
    List<Integer> order = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      order.addAll(pieces(picker.pick("a", 1)));
    }
    assertThat(order).containsExactly(0, 1, 2, 3);
    assertThat(picker.pick("a", 1)).isEmpty();
  }

  @Test
  void breaksTiesAtRandomButOnlyAmongTheRarest() {
    Set<Integer> firstPicks = new HashSet<>();
    for (long seed = 0; seed < 200; seed++) {
      PiecePicker<String> picker = oneBlockPieces(10, seed);
      picker.peerHas("a", Bitfield.full(10));
      picker.peerHas("b", bits(10, 0, 1, 2, 3, 4, 5, 6));   // 7, 8, 9 are the rarest
      List<Integer> three = pieces(picker.pick("a", 3));
      assertThat(three).containsExactlyInAnyOrder(7, 8, 9);
      firstPicks.add(three.get(0));
    }
    assertThat(firstPicks).as("every one of the rarest comes first for some seed").containsExactlyInAnyOrder(7, 8, 9);
  }

  @Test
  void theSameSeedPicksTheSameOrder() {
    List<List<Integer>> runs = new ArrayList<>();
    for (int run = 0; run < 2; run++) {
      PiecePicker<String> picker = oneBlockPieces(50, 42);
      picker.peerHas("a", Bitfield.full(50));
      List<Integer> order = new ArrayList<>();
      for (int i = 0; i < 50; i++) {
        order.addAll(pieces(picker.pick("a", 1)));
      }
      runs.add(order);
    }
    assertThat(runs.get(0)).hasSize(50).doesNotHaveDuplicates().isEqualTo(runs.get(1));
    assertThat(runs.get(0)).isNotEqualTo(java.util.stream.IntStream.range(0, 50).boxed().toList());
  }

  @Test
  void finishesPartialPiecesBeforeStartingRarerOnes() {
    // Two pieces of four blocks; piece 1 is rarer, but piece 0 is already started.
    PiecePicker<String> picker = new PiecePicker<>(8L * BLOCK_SIZE, 4 * BLOCK_SIZE, new Bitfield(2), new Random(3));
    picker.peerHas("a", bits(2, 0));
    picker.peerHas("b", bits(2, 0, 1));

    assertThat(picker.pick("a", 2)).containsExactly(
        new BlockRequest(0, 0, BLOCK_SIZE), new BlockRequest(0, BLOCK_SIZE, BLOCK_SIZE));
    assertThat(picker.pick("b", 3)).containsExactly(
        new BlockRequest(0, 2 * BLOCK_SIZE, BLOCK_SIZE), new BlockRequest(0, 3 * BLOCK_SIZE, BLOCK_SIZE),
        new BlockRequest(1, 0, BLOCK_SIZE));
    assertThat(picker.piecesDownloading()).isEqualTo(2);
  }

  @Test
  void partialPiecesAreFinishedEvenWhenTheirRequestsDied() {
    PiecePicker<String> picker = new PiecePicker<>(8L * BLOCK_SIZE, 4 * BLOCK_SIZE, new Bitfield(2), new Random(3));
    picker.peerHas("a", Bitfield.full(2));
    picker.peerHas("b", bits(2, 1));   // piece 0 is the rarest
    List<BlockRequest> first = picker.pick("a", 2);
    assertThat(pieces(first)).containsExactly(0, 0);
    deliverAndVerify(picker, "a", first.subList(0, 1));
    assertThat(picker.requestTimedOut("a", 0, BLOCK_SIZE)).isTrue();
    picker.peerHas("c", bits(2, 0));   // piece 0 is no longer the rarest
    assertThat(picker.pick("a", 3)).containsExactly(
        new BlockRequest(0, BLOCK_SIZE, BLOCK_SIZE), new BlockRequest(0, 2 * BLOCK_SIZE, BLOCK_SIZE),
        new BlockRequest(0, 3 * BLOCK_SIZE, BLOCK_SIZE));
  }

  @Test
  void neverAsksTwoPeersForOneBlockOutsideEndgame() {
    PiecePicker<String> picker = new PiecePicker<>(12L * BLOCK_SIZE, 4 * BLOCK_SIZE, new Bitfield(3), new Random(5));
    picker.peerHas("a", Bitfield.full(3));
    picker.peerHas("b", Bitfield.full(3));
    List<BlockRequest> fromA = picker.pick("a", 5);
    assertThat(picker.isEndgame()).isFalse();
    List<BlockRequest> fromB = picker.pick("b", 7);
    assertThat(fromA).hasSize(5);
    assertThat(fromB).hasSize(7).doesNotContainAnyElementsOf(fromA);
    assertThat(picker.outstandingRequests()).isEqualTo(12);
    // Every block is now requested: that is endgame, and only now may a block be asked twice.
    assertThat(picker.isEndgame()).isTrue();
  }

  @Test
  void noDuplicatesWhileAPieceNobodyHasIsStillMissing() {
    PiecePicker<String> picker = oneBlockPieces(3, 6);
    picker.peerHas("a", bits(3, 0));
    picker.peerHas("b", bits(3, 0, 1));   // nobody has piece 2
    assertThat(pieces(picker.pick("a", 10))).containsExactly(0);
    assertThat(pieces(picker.pick("b", 10))).containsExactly(1);
    assertThat(picker.isEndgame()).isFalse();
    assertThat(picker.pick("b", 10)).isEmpty();
  }

  @Test
  void endgameAsksASecondPeerAndCancelsTheLoser() {
    PiecePicker<String> picker = new PiecePicker<>(2L * BLOCK_SIZE, 2 * BLOCK_SIZE, new Bitfield(1), new Random(1));
    for (String peer : List.of("a", "b", "c")) {
      picker.peerHas(peer, Bitfield.full(1));
    }
    BlockRequest block0 = new BlockRequest(0, 0, BLOCK_SIZE);
    BlockRequest block1 = new BlockRequest(0, BLOCK_SIZE, BLOCK_SIZE);
    assertThat(picker.pick("a", 10)).containsExactly(block0, block1);
    assertThat(picker.isEndgame()).isTrue();
    assertThat(picker.pick("b", 10)).containsExactly(block0, block1);
    assertThat(picker.pick("c", 10)).as("at most two requests per block").isEmpty();
    assertThat(picker.pick("a", 10)).as("never the same block twice from one peer").isEmpty();
    assertThat(picker.outstandingRequests()).isEqualTo(4);

    BlockReceipt<String> first = picker.blockReceived("b", 0, 0, BLOCK_SIZE);
    assertThat(first.status()).isEqualTo(Status.ACCEPTED);
    assertThat(first.cancelFrom()).containsExactly("a");
    assertThat(first.pieceComplete()).isFalse();
    assertThat(picker.blockReceived("a", 0, 0, BLOCK_SIZE).status())
        .as("the cancelled copy crossing on the wire").isEqualTo(Status.REDUNDANT);

    BlockReceipt<String> second = picker.blockReceived("a", 0, BLOCK_SIZE, BLOCK_SIZE);
    assertThat(second.accepted()).isTrue();
    assertThat(second.cancelFrom()).containsExactly("b");
    assertThat(second.pieceComplete()).isTrue();
    assertThat(picker.outstandingRequests()).isZero();
    picker.pieceVerified(0);
    assertThat(picker.isComplete()).isTrue();
    assertThat(picker.isEndgame()).isFalse();
    assertThat(picker.blockReceived("b", 0, BLOCK_SIZE, BLOCK_SIZE).status()).isEqualTo(Status.REDUNDANT);
  }

  @Test
  void endgameWaitsUntilEveryMissingBlockIsRequested() {
    PiecePicker<String> picker = oneBlockPieces(3, 9);
    picker.peerHas("a", bits(3, 0, 1));
    picker.peerHas("b", bits(3, 0, 1, 2));
    assertThat(picker.pick("a", 10)).hasSize(2);
    // Piece 2 is still unrequested: no duplicates for b yet, only piece 2.
    assertThat(pieces(picker.pick("b", 10))).startsWith(2);
    assertThat(picker.isEndgame()).isTrue();
  }

  @Test
  void aPeerThatLeavesReleasesItsRequestsAndAvailabilityAndIsForgotten() {
    PiecePicker<String> picker = new PiecePicker<>(8L * BLOCK_SIZE, 4 * BLOCK_SIZE, new Bitfield(2), new Random(2));
    picker.peerHas("a", Bitfield.full(2));
    picker.peerHasPiece("b", 1);
    assertThat(picker.pick("a", 8)).hasSize(8);
    assertThat(picker.isEndgame()).isTrue();
    assertThat(pieces(picker.pick("b", 8))).as("endgame: b doubles a's requests").containsExactly(1, 1, 1, 1);
    assertThat(picker.outstandingRequests()).isEqualTo(12);
    assertThat(picker.availability(1)).isEqualTo(2);

    picker.peerGone("a");
    assertThat(picker.availability(0)).isZero();
    assertThat(picker.availability(1)).isEqualTo(1);
    assertThat(picker.outstandingRequests()).isEqualTo(4);
    assertThat(picker.partialPieces()).as("no blocks for pieces nobody downloads").isEqualTo(1);
    assertThat(picker.isEndgame()).isFalse();
    assertThat(picker.blockReceived("a", 0, 0, BLOCK_SIZE).status()).isEqualTo(Status.UNSOLICITED);
    assertThat(picker.pick("b", 8)).isEmpty();
    picker.peerHas("c", Bitfield.full(2));
    assertThat(pieces(picker.pick("c", 4))).as("a's blocks are free again").containsExactly(0, 0, 0, 0);

    picker.peerGone("b");
    picker.peerGone("c");
    assertThat(picker.trackedPeers()).isZero();
    assertThat(picker.partialPieces()).isZero();
    assertThat(picker.outstandingRequests()).isZero();
    assertThat(picker.availability(0)).isZero();
    assertThat(picker.availability(1)).isZero();
  }

  @Test
  void aLeavingPeersDeliveredBlocksStay() {
    PiecePicker<String> picker = new PiecePicker<>(4L * BLOCK_SIZE, 4 * BLOCK_SIZE, new Bitfield(1), new Random(2));
    picker.peerHas("a", Bitfield.full(1));
    picker.peerHas("b", Bitfield.full(1));
    List<BlockRequest> fromA = picker.pick("a", 2);
    deliverAndVerify(picker, "a", fromA.subList(0, 1));
    picker.peerGone("a");
    assertThat(picker.partialPieces()).isEqualTo(1);
    assertThat(picker.pick("b", 4)).containsExactly(
        new BlockRequest(0, BLOCK_SIZE, BLOCK_SIZE), new BlockRequest(0, 2 * BLOCK_SIZE, BLOCK_SIZE),
        new BlockRequest(0, 3 * BLOCK_SIZE, BLOCK_SIZE));
  }

  @Test
  void aFailedPieceNamesItsContributorsAndIsPickedAgainPreferablyFromOthers() {
    PiecePicker<String> picker = new PiecePicker<>(6L * BLOCK_SIZE, 3 * BLOCK_SIZE, new Bitfield(2), new Random(4));
    picker.peerHas("a", Bitfield.full(2));
    picker.peerHas("b", Bitfield.full(2));
    picker.peerHas("c", bits(2, 1));       // piece 0 is the rarest
    List<BlockRequest> fromA = picker.pick("a", 1);
    List<BlockRequest> fromB = picker.pick("b", 2);
    assertThat(pieces(fromA)).containsExactly(0);
    assertThat(pieces(fromB)).containsExactly(0, 0);
    picker.blockReceived("a", 0, 0, BLOCK_SIZE);
    picker.blockReceived("b", 0, BLOCK_SIZE, BLOCK_SIZE);
    BlockReceipt<String> last = picker.blockReceived("b", 0, 2 * BLOCK_SIZE, BLOCK_SIZE);
    assertThat(last.pieceComplete()).isTrue();

    assertThat(picker.pieceFailed(0)).containsExactly("a", "b");
    assertThat(picker.has(0)).isFalse();
    assertThat(picker.partialPieces()).isZero();
    assertThat(picker.suspectEntries()).isEqualTo(2);

    // a contributed to piece 0: though it is the rarest, a is asked for piece 1 first ...
    assertThat(pieces(picker.pick("a", 3))).containsExactly(1, 1, 1);
    // ... and for piece 0 only once it has nothing else to give.
    assertThat(pieces(picker.pick("a", 3))).containsExactly(0, 0, 0);
    deliverAndVerify(picker, "a", List.of(new BlockRequest(0, 0, BLOCK_SIZE)));
    assertThat(picker.requestTimedOut("a", 0, BLOCK_SIZE)).isTrue();
    assertThat(picker.requestTimedOut("a", 0, 2 * BLOCK_SIZE)).isTrue();

    picker.peerHas("d", Bitfield.full(2));
    assertThat(picker.pick("d", 2)).as("a newcomer finishes the suspect piece")
        .containsExactly(new BlockRequest(0, BLOCK_SIZE, BLOCK_SIZE), new BlockRequest(0, 2 * BLOCK_SIZE, BLOCK_SIZE));
    picker.peerGone("b");
    assertThat(picker.suspectEntries()).isEqualTo(1);
    picker.blockReceived("d", 0, BLOCK_SIZE, BLOCK_SIZE);
    assertThat(picker.blockReceived("d", 0, 2 * BLOCK_SIZE, BLOCK_SIZE).pieceComplete()).isTrue();
    picker.pieceVerified(0);
    assertThat(picker.suspectEntries()).isZero();
    assertThat(picker.has(0)).isTrue();
  }

  @Test
  void aFailedPieceStillNamesAContributorThatLeft() {
    PiecePicker<String> picker = new PiecePicker<>(2L * BLOCK_SIZE, 2 * BLOCK_SIZE, new Bitfield(1), new Random(4));
    picker.peerHas("a", Bitfield.full(1));
    picker.peerHas("b", Bitfield.full(1));
    deliver(picker, "a", picker.pick("a", 1));
    picker.peerGone("a");
    assertThat(deliver(picker, "b", picker.pick("b", 1)).pieceComplete()).isTrue();
    assertThat(picker.pieceFailed(0)).containsExactly("a", "b");
    assertThat(picker.suspectEntries()).as("only connected peers are remembered").isEqualTo(1);
    assertThat(pieces(picker.pick("b", 2))).as("b is all there is").containsExactly(0, 0);
  }

  @Test
  void resumesFromTheVerifiedPiecesOnDisk() {
    long length = 5L * BLOCK_SIZE - 100;
    Bitfield onDisk = bits(5, 0, 2, 4);
    PiecePicker<String> picker = new PiecePicker<>(length, BLOCK_SIZE, onDisk, new Random(1));
    assertThat(picker.have()).isEqualTo(onDisk);
    assertThat(picker.piecesHave()).isEqualTo(3);
    assertThat(picker.missingBytes()).isEqualTo(2L * BLOCK_SIZE);
    assertThat(picker.verifiedBytes()).isEqualTo(3L * BLOCK_SIZE - 100);
    assertThat(picker.isComplete()).isFalse();

    picker.peerHas("old", bits(5, 0, 2, 4));
    assertThat(picker.interesting("old")).isFalse();
    assertThat(picker.pick("old", 10)).isEmpty();
    picker.peerHas("seed", Bitfield.full(5));
    assertThat(picker.interesting("seed")).isTrue();
    List<BlockRequest> picked = picker.pick("seed", 10);
    assertThat(pieces(picked)).containsExactlyInAnyOrder(1, 3);
    deliverAndVerify(picker, "seed", picked);
    assertThat(picker.isComplete()).isTrue();
    assertThat(picker.missingBytes()).isZero();
    assertThat(picker.interesting("seed")).isFalse();

    PiecePicker<String> whole = new PiecePicker<>(length, BLOCK_SIZE, Bitfield.full(5), new Random(1));
    assertThat(whole.isComplete()).isTrue();
    whole.peerHas("seed", Bitfield.full(5));
    assertThat(whole.pick("seed", 10)).isEmpty();
  }

  @Test
  void theLastBlockOfTheLastPieceIsShort() {
    long length = 2L * 2 * BLOCK_SIZE + BLOCK_SIZE + 100;   // pieces of 32 KiB, the last 16 KiB + 100
    PiecePicker<String> picker = new PiecePicker<>(length, 2 * BLOCK_SIZE, new Bitfield(3), new Random(1));
    assertThat(picker.pieceSize(2)).isEqualTo(BLOCK_SIZE + 100);
    picker.peerHas("a", bits(3, 2));
    assertThat(picker.pick("a", 10)).containsExactly(
        new BlockRequest(2, 0, BLOCK_SIZE), new BlockRequest(2, BLOCK_SIZE, 100));
    assertThat(picker.blockReceived("a", 2, BLOCK_SIZE, BLOCK_SIZE).status())
        .as("a full-size block where the torrent ends").isEqualTo(Status.INVALID);
    assertThat(picker.blockReceived("a", 2, BLOCK_SIZE, 100).accepted()).isTrue();
    BlockReceipt<String> last = picker.blockReceived("a", 2, 0, BLOCK_SIZE);
    assertThat(last.pieceComplete()).isTrue();
    picker.pieceVerified(2);
    assertThat(picker.missingBytes()).isEqualTo(4L * BLOCK_SIZE);
  }

  @Test
  void aTinyTorrentIsOneShortBlock() {
    PiecePicker<String> picker = new PiecePicker<>(10, 2 * BLOCK_SIZE, new Bitfield(1), new Random(1));
    picker.peerHas("a", Bitfield.full(1));
    assertThat(picker.pick("a", 5)).containsExactly(new BlockRequest(0, 0, 10));
  }

  @Test
  void anEmptyTorrentIsComplete() {
    PiecePicker<String> picker = new PiecePicker<>(0, BLOCK_SIZE, new Bitfield(0), new Random(1));
    assertThat(picker.isComplete()).isTrue();
    assertThat(picker.missingBytes()).isZero();
    picker.peerHas("a", new Bitfield(0));
    assertThat(picker.pick("a", 5)).isEmpty();
  }

  @Test
  void classifiesBlocksWeDidNotAskFor() {
    PiecePicker<String> picker = new PiecePicker<>(4L * BLOCK_SIZE, 2 * BLOCK_SIZE, new Bitfield(2), new Random(1));
    picker.peerHas("a", Bitfield.full(2));
    picker.peerHas("b", Bitfield.full(2));
    List<BlockRequest> fromA = picker.pick("a", 1);
    BlockRequest r = fromA.get(0);
    assertThat(picker.blockReceived("b", r.piece(), r.begin(), r.length()).status()).isEqualTo(Status.UNSOLICITED);
    int other = 1 - r.piece();
    assertThat(picker.blockReceived("a", other, 0, BLOCK_SIZE).status()).isEqualTo(Status.UNSOLICITED);
    assertThat(picker.blockReceived("a", 2, 0, BLOCK_SIZE).status()).isEqualTo(Status.INVALID);
    assertThat(picker.blockReceived("a", -1, 0, BLOCK_SIZE).status()).isEqualTo(Status.INVALID);
    assertThat(picker.blockReceived("a", 0, 100, BLOCK_SIZE).status()).isEqualTo(Status.INVALID);
    assertThat(picker.blockReceived("a", 0, 2 * BLOCK_SIZE, BLOCK_SIZE).status()).isEqualTo(Status.INVALID);
    assertThat(picker.blockReceived("a", 0, 0, BLOCK_SIZE + 1).status()).isEqualTo(Status.INVALID);
    assertThat(picker.partialPieces()).isEqualTo(1);

    assertThat(picker.blockReceived("a", r.piece(), r.begin(), r.length()).accepted()).isTrue();
    assertThat(picker.blockReceived("a", r.piece(), r.begin(), r.length()).status()).isEqualTo(Status.REDUNDANT);
  }

  @Test
  void aTimedOutOrCancelledRequestCanBeAskedOfAnyoneAgain() {
    PiecePicker<String> picker = new PiecePicker<>(2L * BLOCK_SIZE, 2 * BLOCK_SIZE, new Bitfield(1), new Random(1));
    picker.peerHas("a", Bitfield.full(1));
    picker.peerHas("b", Bitfield.full(1));
    assertThat(picker.pick("a", 2)).hasSize(2);
    assertThat(picker.requestTimedOut("a", 0, 0)).isTrue();
    assertThat(picker.requestTimedOut("a", 0, 0)).as("only once").isFalse();
    assertThat(picker.requestTimedOut("b", 0, BLOCK_SIZE)).as("never asked of b").isFalse();
    assertThat(picker.requestTimedOut("a", 7, 0)).isFalse();
    assertThat(picker.isEndgame()).isFalse();
    assertThat(picker.pick("b", 1)).containsExactly(new BlockRequest(0, 0, BLOCK_SIZE));
    assertThat(picker.blockReceived("a", 0, 0, BLOCK_SIZE).status())
        .as("a late reply to a timed-out request").isEqualTo(Status.UNSOLICITED);
    assertThat(picker.requestCancelled("a", 0, BLOCK_SIZE)).isTrue();
    assertThat(picker.requestCancelled("b", 0, 0)).isTrue();
    assertThat(picker.partialPieces()).isZero();
    assertThat(picker.pick("b", 2)).hasSize(2);
  }

  @Test
  void aChokeReleasesEveryRequestButKeepsThePeersPieces() {
    PiecePicker<String> picker = new PiecePicker<>(8L * BLOCK_SIZE, 4 * BLOCK_SIZE, new Bitfield(2), new Random(1));
    picker.peerHas("a", Bitfield.full(2));
    List<BlockRequest> picked = picker.pick("a", 6);
    deliverAndVerify(picker, "a", picked.subList(0, 1));
    assertThat(picker.releaseRequests("a")).isEqualTo(5);
    assertThat(picker.outstandingRequests()).isZero();
    assertThat(picker.partialPieces()).as("the piece with a block received stays").isEqualTo(1);
    assertThat(picker.availability(0)).isEqualTo(1);
    assertThat(picker.interesting("a")).isTrue();
  }

  @Test
  void piecesAreInProgressFromTheirFirstRequestUntilVerifiedFailedOrLeftWithNoDataAndNoRequest() {
    PiecePicker<String> picker = new PiecePicker<>(8L * BLOCK_SIZE, 2 * BLOCK_SIZE, new Bitfield(4), new Random(1));
    picker.peerHas("a", Bitfield.full(4));
    assertThat(picker.inProgress()).isEqualTo(new Bitfield(4));

    List<BlockRequest> picked = picker.pick("a", 3); // one piece whole and one block of another
    int whole = picked.get(0).piece();
    int started = picked.get(2).piece();
    assertThat(picker.inProgress()).isEqualTo(bits(4, whole, started));

    deliver(picker, "a", picked.subList(0, 2));
    assertThat(picker.inProgress().get(whole)).as("complete, but not yet written and hashed").isTrue();
    picker.pieceVerified(whole);
    assertThat(picker.inProgress()).isEqualTo(bits(4, started));
    assertThat(picker.has(whole)).isTrue();

    assertThat(picker.requestTimedOut("a", started, 0)).isTrue();
    assertThat(picker.inProgress()).as("nothing of it came and nothing is asked").isEqualTo(new Bitfield(4));

    List<BlockRequest> failing = picker.pick("a", 2);
    int bad = failing.get(0).piece();
    deliver(picker, "a", failing);
    picker.pieceFailed(bad);
    assertThat(picker.inProgress()).as("its blocks are thrown away").isEqualTo(new Bitfield(4));

    List<BlockRequest> half = picker.pick("a", 2);
    int kept = half.get(0).piece();
    deliver(picker, "a", half.subList(0, 1));
    picker.peerGone("a");
    assertThat(picker.inProgress()).as("a block of it is on its way to the disk").isEqualTo(bits(4, kept));

    Bitfield copy = picker.inProgress();
    copy.set(bad);
    assertThat(picker.inProgress()).as("a copy").isEqualTo(bits(4, kept));
  }

  @Test
  void tracksInterestFromBitfieldsHavesAndVerification() {
    PiecePicker<String> picker = oneBlockPieces(3, 1);
    assertThat(picker.interesting("a")).isFalse();
    picker.peerHas("a", new Bitfield(3));
    assertThat(picker.interesting("a")).isFalse();
    picker.peerHasPiece("a", 1);
    picker.peerHasPiece("a", 1);
    assertThat(picker.availability(1)).isEqualTo(1);
    assertThat(picker.interesting("a")).isTrue();
    deliverAndVerify(picker, "a", picker.pick("a", 5));
    assertThat(picker.interesting("a")).isFalse();
    picker.peerHas("a", bits(3, 0));   // a second bitfield replaces the first
    assertThat(picker.availability(1)).isZero();
    assertThat(picker.availability(0)).isEqualTo(1);
    assertThat(picker.interesting("a")).isTrue();
    picker.pieceVerified(0);   // say, found on disk by a re-check
    assertThat(picker.interesting("a")).isFalse();
    assertThat(picker.piecesHave()).isEqualTo(2);
  }

  @Test
  void rejectsMalformedAvailability() {
    PiecePicker<String> picker = oneBlockPieces(3, 1);
    assertThatThrownBy(() -> picker.peerHas("a", new Bitfield(4))).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> picker.peerHasPiece("a", 3)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> picker.peerHasPiece("a", -1)).isInstanceOf(IllegalArgumentException.class);
    assertThat(picker.trackedPeers()).isZero();
    assertThatThrownBy(() -> new PiecePicker<String>(3L * BLOCK_SIZE + 1, BLOCK_SIZE, new Bitfield(3), new Random(1)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void anUnknownPeerGetsNothing() {
    PiecePicker<String> picker = oneBlockPieces(3, 1);
    assertThat(picker.pick("stranger", 5)).isEmpty();
    picker.peerGone("stranger");
    assertThat(picker.trackedPeers()).isZero();
  }
}
