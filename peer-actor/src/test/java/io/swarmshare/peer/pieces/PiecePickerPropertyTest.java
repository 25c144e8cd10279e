package io.swarmshare.peer.pieces;

import static io.swarmshare.peer.pieces.PiecePicker.BLOCK_SIZE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.swarmshare.messages.Bitfield;
import io.swarmshare.peer.pieces.BlockReceipt.Status;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * Drives a picker through random swarms and checks it against a model of what it should know:
 * peers join with random bitfields (some send bad data), announce pieces, get asked for blocks,
 * deliver them in any order, time out, choke us and leave; pieces are verified now or later.
 */
class PiecePickerPropertyTest {

  @Provide
  Arbitrary<Integer> pieceLengths() {
    return Arbitraries.of(8 * 1024, 16 * 1024, 32 * 1024, 64 * 1024, 20_000);
  }

  @Property(tries = 300)
  void theDownloadAlwaysCompletesWhateverTheSwarmDoes(
      @ForAll("pieceLengths") int pieceLength,
      @ForAll @IntRange(min = 1, max = 30) int pieces,
      @ForAll @IntRange(min = 1, max = 64 * 1024) int lastPieceSize,
      @ForAll @IntRange(min = 0, max = 400) int operations,
      @ForAll long seed) {
    Swarm swarm = new Swarm(pieceLength, pieces, lastPieceSize, seed, true);
    for (int i = 0; i < operations; i++) {
      swarm.randomOperation();
      swarm.checkInvariants();
    }
    swarm.drain();
    swarm.everyoneLeaves();
  }

  @Property(tries = 300)
  void withoutDisruptionsEveryBlockIsRequestedExactlyOnceOutsideEndgame(
      @ForAll("pieceLengths") int pieceLength,
      @ForAll @IntRange(min = 1, max = 30) int pieces,
      @ForAll @IntRange(min = 1, max = 64 * 1024) int lastPieceSize,
      @ForAll long seed) {
    Swarm swarm = new Swarm(pieceLength, pieces, lastPieceSize, seed, false);
    for (int i = 0; i < 1 + swarm.rnd.nextInt(6); i++) {
      swarm.join();
    }
    swarm.drain();
    for (int piece = 0; piece < swarm.pieceCount; piece++) {
      for (BlockRequest block : swarm.blocks(piece)) {
        int expected = swarm.onDiskAtStart.get(piece) ? 0 : 1;
        assertThat(swarm.freshRequests.getOrDefault(block, 0)).as("fresh requests of %s", block).isEqualTo(expected);
      }
    }
    swarm.everyoneLeaves();
  }

  /** One outstanding request, as the model sees it. */
  private record Out(int peer, BlockRequest block) {}

  private static final class Swarm {
    final Random rnd;
    final boolean disruptive;
    final int pieceLength;
    final int pieceCount;
    final long totalLength;
    final PiecePicker<Integer> picker;
    final Bitfield onDiskAtStart;

    // The model.
    final Bitfield have;
    final Map<Integer, Bitfield> peers = new LinkedHashMap<>();
    final Set<Integer> bad = new HashSet<>();
    final Set<Integer> departed = new LinkedHashSet<>();
    final List<Out> outstanding = new ArrayList<>();
    final Map<BlockRequest, Integer> received = new HashMap<>();
    final List<Integer> awaitingVerification = new ArrayList<>();
    final Map<Integer, Set<Integer>> suspects = new HashMap<>();
    final Map<BlockRequest, Integer> freshRequests = new HashMap<>();
    int nextPeer;

    Swarm(int pieceLength, int pieces, int lastPieceSize, long seed, boolean disruptive) {
      this.rnd = new Random(seed);
      this.disruptive = disruptive;
      this.pieceLength = pieceLength;
      this.pieceCount = pieces;
      this.totalLength = (long) (pieces - 1) * pieceLength + Math.min(lastPieceSize, pieceLength);
      this.onDiskAtStart = randomBitfield(rnd.nextInt(3) == 0 ? rnd.nextDouble() : 0);
      this.have = onDiskAtStart.copy();
      this.picker = new PiecePicker<>(totalLength, pieceLength, onDiskAtStart, new Random(rnd.nextLong()));
    }

    int pieceSize(int piece) {
      return (int) Math.min(pieceLength, totalLength - (long) piece * pieceLength);
    }

    List<BlockRequest> blocks(int piece) {
      List<BlockRequest> blocks = new ArrayList<>();
      int size = pieceSize(piece);
      for (int begin = 0; begin < size; begin += BLOCK_SIZE) {
        blocks.add(new BlockRequest(piece, begin, Math.min(BLOCK_SIZE, size - begin)));
      }
      return blocks;
    }

    Bitfield randomBitfield(double density) {
      Bitfield bits = new Bitfield(pieceCount);
      for (int i = 0; i < pieceCount; i++) {
        if (rnd.nextDouble() < density) {
          bits.set(i);
        }
      }
      return bits;
    }

    <T> T any(List<T> list) {
      return list.get(rnd.nextInt(list.size()));
    }

    Integer anyPeer() {
      return peers.isEmpty() ? null : any(new ArrayList<>(peers.keySet()));
    }

    List<Integer> outstandingFrom(BlockRequest block) {
      return outstanding.stream().filter(o -> o.block().equals(block)).map(Out::peer).toList();
    }

    /** Pieces we lack that have a block received or outstanding: what the picker must hold state for. */
    Set<Integer> partialPieces() {
      Set<Integer> partial = new HashSet<>();
      outstanding.forEach(o -> partial.add(o.block().piece()));
      received.keySet().forEach(b -> partial.add(b.piece()));
      return partial;
    }

    long freeBlocks(int piece) {
      return blocks(piece).stream().filter(b -> !received.containsKey(b) && outstandingFrom(b).isEmpty()).count();
    }

    boolean isSuspect(int piece, int peer) {
      return suspects.getOrDefault(piece, Set.of()).contains(peer);
    }

    // ---- operations -------------------------------------------------------------------------

    void randomOperation() {
      int op = rnd.nextInt(100);
      Integer peer = anyPeer();
      if (peer == null || op < 8) {
        join();
      } else if (op < 40) {
        pick(peer, 1 + rnd.nextInt(10));
      } else if (op < 70) {
        if (!outstanding.isEmpty()) {
          deliver(any(outstanding));
        }
      } else if (op < 76) {
        if (!awaitingVerification.isEmpty()) {
          verify(awaitingVerification.remove(rnd.nextInt(awaitingVerification.size())));
        }
      } else if (op < 82) {
        int piece = rnd.nextInt(pieceCount);
        picker.peerHasPiece(peer, piece);
        peers.get(peer).set(piece);
      } else if (op < 87) {
        deliverAnything(peer);
      } else if (op < 92) {
        if (!outstanding.isEmpty()) {
          Out o = any(outstanding);
          boolean dropped = rnd.nextBoolean()
              ? picker.requestTimedOut(o.peer(), o.block().piece(), o.block().begin())
              : picker.requestCancelled(o.peer(), o.block().piece(), o.block().begin());
          assertThat(dropped).isTrue();
          outstanding.remove(o);
        }
      } else if (op < 95) {
        long mine = outstanding.stream().filter(o -> o.peer() == peer).count();
        assertThat(picker.releaseRequests(peer)).isEqualTo(mine);
        outstanding.removeIf(o -> o.peer() == peer);
      } else {
        leave(peer);
      }
    }

    void join() {
      int peer = !departed.isEmpty() && rnd.nextInt(3) == 0 ? departed.iterator().next() : nextPeer++;
      departed.remove(peer);
      Bitfield bits = rnd.nextInt(5) == 0 ? Bitfield.full(pieceCount) : randomBitfield(rnd.nextDouble());
      if (disruptive && rnd.nextInt(5) == 0) {
        bad.add(peer);
      }
      if (rnd.nextInt(5) == 0) {
        for (int i = bits.nextSet(0); i >= 0; i = bits.nextSet(i + 1)) {
          picker.peerHasPiece(peer, i);
        }
        if (bits.isEmpty()) {
          picker.peerHas(peer, bits);
        }
      } else {
        picker.peerHas(peer, bits);
      }
      peers.put(peer, bits.copy());
    }

    void leave(int peer) {
      picker.peerGone(peer);
      peers.remove(peer);
      bad.remove(peer);
      departed.add(peer);
      outstanding.removeIf(o -> o.peer() == peer);
      suspects.values().forEach(s -> s.remove(peer));
      suspects.values().removeIf(Set::isEmpty);
    }

    List<BlockRequest> pick(int peer, int max) {
      Set<Integer> partialBefore = partialPieces();
      List<BlockRequest> picked = picker.pick(peer, max);
      boolean endgame = picker.isEndgame();
      assertThat(picked.size()).isLessThanOrEqualTo(max);
      assertThat(picked).doesNotHaveDuplicates();
      Bitfield theirs = peers.get(peer);
      for (BlockRequest block : picked) {
        assertThat(theirs.get(block.piece())).as("peer %d has piece %d", peer, block.piece()).isTrue();
        assertThat(have.get(block.piece())).as("we lack piece %d", block.piece()).isFalse();
        assertThat(blocks(block.piece())).contains(block);
        assertThat(received).doesNotContainKey(block);
        List<Integer> from = outstandingFrom(block);
        assertThat(from).doesNotContain(peer);
        if (from.isEmpty()) {
          freshRequests.merge(block, 1, Integer::sum);
        } else {
          assertThat(endgame).as("%s asked twice outside endgame", block).isTrue();
          assertThat(from).hasSizeLessThan(PiecePicker.ENDGAME_REQUESTS_PER_BLOCK);
        }
        outstanding.add(new Out(peer, block));
      }

      // Partial pieces first; then rarest first.
      Set<Integer> started = new HashSet<>();
      for (BlockRequest block : picked) {
        if (!partialBefore.contains(block.piece()) && !isSuspect(block.piece(), peer)) {
          started.add(block.piece());
        }
      }
      if (!started.isEmpty()) {
        for (int piece : partialBefore) {
          if (theirs.get(piece) && !isSuspect(piece, peer)) {
            assertThat(freeBlocks(piece)).as("partial piece %d finished before starting %s", piece, started).isZero();
          }
        }
        int rarestStarted = started.stream().mapToInt(picker::availability).max().orElseThrow();
        Set<Integer> partialAfter = partialPieces();
        for (int piece = 0; piece < pieceCount; piece++) {
          if (theirs.get(piece) && !have.get(piece) && !partialAfter.contains(piece) && !isSuspect(piece, peer)) {
            assertThat(picker.availability(piece)).as("piece %d left for rarer ones", piece)
                .isGreaterThanOrEqualTo(rarestStarted);
          }
        }
      }
      return picked;
    }

    void deliver(Out o) {
      BlockRequest block = o.block();
      Set<Integer> others = new HashSet<>(outstandingFrom(block));
      others.remove(o.peer());
      BlockReceipt<Integer> receipt = picker.blockReceived(o.peer(), block.piece(), block.begin(), block.length());
      assertThat(receipt.status()).isEqualTo(Status.ACCEPTED);
      assertThat(receipt.cancelFrom()).containsExactlyInAnyOrderElementsOf(others);
      outstanding.removeIf(x -> x.block().equals(block));
      received.put(block, o.peer());
      boolean complete = blocks(block.piece()).stream().allMatch(received::containsKey);
      assertThat(receipt.pieceComplete()).isEqualTo(complete);
      if (complete) {
        if (rnd.nextBoolean()) {
          verify(block.piece());
        } else {
          awaitingVerification.add(block.piece());
        }
      }
    }

    /** A piece message for any block at all from {@code peer}: classified as the model expects. */
    void deliverAnything(int peer) {
      int piece = rnd.nextInt(pieceCount);
      BlockRequest block = any(blocks(piece));
      if (rnd.nextInt(4) == 0) {
        int length = block.length() + (rnd.nextBoolean() ? 1 : -1);
        assertThat(picker.blockReceived(peer, piece, block.begin(), length).status()).isEqualTo(Status.INVALID);
        return;
      }
      if (outstandingFrom(block).contains(peer)) {
        deliver(new Out(peer, block));
        return;
      }
      Status expected = have.get(piece) || received.containsKey(block) ? Status.REDUNDANT : Status.UNSOLICITED;
      assertThat(picker.blockReceived(peer, piece, block.begin(), block.length()).status()).isEqualTo(expected);
    }

    void verify(int piece) {
      List<Integer> contributors = new ArrayList<>();
      for (BlockRequest block : blocks(piece)) {
        Integer from = received.remove(block);
        assertThat(from).isNotNull();
        if (!contributors.contains(from)) {
          contributors.add(from);
        }
      }
      if (contributors.stream().anyMatch(bad::contains)) {
        assertThat(picker.pieceFailed(piece)).containsExactlyElementsOf(contributors);
        for (int peer : contributors) {
          if (peers.containsKey(peer)) {
            suspects.computeIfAbsent(piece, k -> new HashSet<>()).add(peer);
          }
        }
      } else {
        picker.pieceVerified(piece);
        have.set(piece);
        suspects.remove(piece);
      }
    }

    /** Bans the bad peers, brings a seed, and runs the swarm until the download is complete. */
    void drain() {
      for (int peer : new ArrayList<>(bad)) {
        leave(peer);
      }
      int seed = nextPeer++;
      picker.peerHas(seed, Bitfield.full(pieceCount));
      peers.put(seed, Bitfield.full(pieceCount));
      checkInvariants();
      for (int step = 0; !picker.isComplete(); step++) {
        if (step > 200_000) {
          fail("no progress after %d steps", step);
        }
        int op = rnd.nextInt(10);
        if (!awaitingVerification.isEmpty() && op < 3) {
          verify(awaitingVerification.remove(rnd.nextInt(awaitingVerification.size())));
        } else if (!outstanding.isEmpty() && op < 7) {
          deliver(any(outstanding));
        } else if (pick(anyPeer(), 1 + rnd.nextInt(8)).isEmpty() && outstanding.isEmpty() && awaitingVerification.isEmpty()) {
          boolean anyPicked = false;
          for (int peer : new ArrayList<>(peers.keySet())) {
            anyPicked |= !pick(peer, 8).isEmpty();
          }
          if (!anyPicked) {
            fail("stuck: nothing outstanding and nothing to pick, have %s", have);
          }
        }
        checkInvariants();
      }
      assertThat(have.isComplete()).isTrue();
      assertThat(picker.missingBytes()).isZero();
      assertThat(picker.verifiedBytes()).isEqualTo(totalLength);
      assertThat(outstanding).isEmpty();
      assertThat(picker.outstandingRequests()).isZero();
      assertThat(picker.partialPieces()).isZero();
      assertThat(picker.suspectEntries()).isZero();
      assertThat(picker.isEndgame()).isFalse();
      for (int peer : peers.keySet()) {
        assertThat(picker.interesting(peer)).isFalse();
        assertThat(picker.pick(peer, 10)).isEmpty();
      }
    }

    void everyoneLeaves() {
      for (int peer : new ArrayList<>(peers.keySet())) {
        leave(peer);
      }
      checkInvariants();
      assertThat(picker.trackedPeers()).isZero();
      assertThat(picker.suspectEntries()).isZero();
      assertThat(picker.outstandingRequests()).isZero();
    }

    void checkInvariants() {
      for (int piece = 0; piece < pieceCount; piece++) {
        int holders = 0;
        for (Bitfield bits : peers.values()) {
          holders += bits.get(piece) ? 1 : 0;
        }
        assertThat(picker.availability(piece)).as("availability of %d", piece).isEqualTo(holders);
      }
      assertThat(picker.have()).isEqualTo(have);
      long left = 0;
      for (int piece = have.nextClear(0); piece >= 0; piece = have.nextClear(piece + 1)) {
        left += pieceSize(piece);
      }
      assertThat(picker.missingBytes()).isEqualTo(left);
      assertThat(picker.outstandingRequests()).isEqualTo(outstanding.size());
      assertThat(picker.partialPieces()).isEqualTo(partialPieces().size());
      assertThat(picker.trackedPeers()).isEqualTo(peers.size());
      assertThat(picker.suspectEntries()).isEqualTo(suspects.values().stream().mapToInt(Set::size).sum());
      for (Map.Entry<Integer, Bitfield> e : peers.entrySet()) {
        boolean wanted = false;
        for (int piece = e.getValue().nextSet(0); piece >= 0 && !wanted; piece = e.getValue().nextSet(piece + 1)) {
          wanted = !have.get(piece);
        }
        assertThat(picker.interesting(e.getKey())).isEqualTo(wanted);
      }
      Map<BlockRequest, Integer> perBlock = new HashMap<>();
      outstanding.forEach(o -> perBlock.merge(o.block(), 1, Integer::sum));
      assertThat(perBlock.values()).allMatch(n -> n <= PiecePicker.ENDGAME_REQUESTS_PER_BLOCK);
    }
  }
}
