package io.swarmshare.launcher;

import com.typesafe.config.Config;
import io.swarmshare.tracker.TrackerServer;
import io.swarmshare.tracker.TrackerSettings;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.pekko.actor.CoordinatedShutdown;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.Terminated;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "tracker",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = "Run a tracker: BEP 15 over UDP and BEP 3 over HTTP on one port, with a catalogue of shared files.")
final class TrackerCommand implements Callable<Integer> {

  @Option(names = "--host", paramLabel = "H", description = "Address to listen on (default: all interfaces).")
  String host;

  @Option(names = "--port", paramLabel = "P", description = "UDP and TCP port (default: 6969).")
  Integer port;

  @Option(names = "--data-dir", paramLabel = "D", description = "Where the catalogue is kept (default: ./swarmshare-tracker).")
  Path dataDir;

  @Override
  public Integer call() throws Exception {
    Map<String, Object> overrides = new HashMap<>();
    if (host != null) {
      overrides.put("swarmshare.tracker.host", host);
    }
    if (port != null) {
      if (port < 0 || port > 65535) {
        throw new Main.CommandFailure("--port " + port + " is outside 0..65535");
      }
      overrides.put("swarmshare.tracker.port", port);
    }
    if (dataDir != null) {
      overrides.put("swarmshare.tracker.data-dir", dataDir.toString());
    }
    Config config = NodeConfig.load(overrides);
    TrackerSettings settings = TrackerSettings.from(config);
    Addresses.requireLiteralOrResolvable(settings.host(), "--host");

    CompletableFuture<TrackerServer.Status> status = new CompletableFuture<>();
    ActorSystem<Void> system = ActorSystem.create(guardian(settings, status), "swarmshare", config);
    // Loading the extension installs its JVM hook: Ctrl-C and SIGTERM then stop the node in order.
    CoordinatedShutdown.get(system);
    TrackerServer.Status outcome;
    try {
      outcome = status.get(30, TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      outcome = new TrackerServer.Failed("the tracker did not start within 30 s");
    }
    if (outcome instanceof TrackerServer.Failed failed) {
      system.terminate();
      system.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
      throw new Main.CommandFailure(failed.reason());
    }
    system.getWhenTerminated().toCompletableFuture().join();
    return 0;
  }

  /** The node's root: runs the tracker and stops the whole system if the tracker stops. */
  private static Behavior<Void> guardian(TrackerSettings settings, CompletableFuture<TrackerServer.Status> status) {
    return Behaviors.setup(ctx -> {
      ActorRef<TrackerServer.Status> reporter = ctx.spawn(Behaviors.receiveMessage(s -> {
        status.complete(s);
        return Behaviors.same();
      }), "status");
      ctx.watch(ctx.spawn(TrackerServer.create(settings, reporter), "tracker"));
      return Behaviors.receive(Void.class).onSignal(Terminated.class, t -> Behaviors.stopped()).build();
    });
  }
}
