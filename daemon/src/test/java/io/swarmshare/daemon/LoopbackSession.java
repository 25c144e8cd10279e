package io.swarmshare.daemon;

import com.typesafe.config.ConfigFactory;
import io.swarmshare.messages.PeerId;
import io.swarmshare.peer.ChunkServer;
import io.swarmshare.peer.PeerSettings;
import io.swarmshare.peer.Session;
import java.net.InetSocketAddress;
import java.time.Duration;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real Session on loopback, its peer port ephemeral, in a test kit of its own: what the daemon's
 * parts (the RPC, the web UI, /metrics, the watch directory) act on in their tests. One per test
 * class, shared by its tests: {@code @RegisterExtension static final LoopbackSession node = new
 * LoopbackSession();} starts it before the first test and shuts the kit down after the last.
 */
public final class LoopbackSession implements BeforeAllCallback, AfterAllCallback {

  private static final Duration START_GUARD = Duration.ofSeconds(60);

  private ActorTestKit kit;
  private ActorRef<Session.Command> session;
  private InetSocketAddress peers;

  @Override
  public void beforeAll(ExtensionContext context) {
    kit = ActorTestKit.create();
    PeerSettings settings = PeerSettings.from(ConfigFactory.parseString(
        "swarmshare.peer { host = \"127.0.0.1\", port = 0 }").withFallback(ConfigFactory.load()));
    TestProbe<ChunkServer.Status> started = kit.createTestProbe();
    session = kit.spawn(Session.create(settings, PeerId.generate(), started.getRef()));
    peers = started.expectMessageClass(ChunkServer.Listening.class, START_GUARD).address();
  }

  @Override
  public void afterAll(ExtensionContext context) {
    kit.shutdownTestKit();
  }

  public ActorTestKit kit() {
    return kit;
  }

  public ActorRef<Session.Command> session() {
    return session;
  }

  /** Where the session takes peers' connections. */
  public InetSocketAddress peers() {
    return peers;
  }
}
