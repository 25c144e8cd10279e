package io.swarmshare.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The runnable jar on its own, with none of the test class path: an actor system must start
 * from it, which needs every Pekko module's reference.conf merged into one.
 */
class RunnableJarIT {

  @Test
  void startsAnActorSystemFromTheJarAlone() throws Exception {
    URL jar = Cli.jar().toUri().toURL();
    ClassLoader previous = Thread.currentThread().getContextClassLoader();
    try (URLClassLoader isolated = new URLClassLoader(new URL[] {jar}, ClassLoader.getPlatformClassLoader())) {
      Thread.currentThread().setContextClassLoader(isolated);
      Class<?> configFactory = isolated.loadClass("com.typesafe.config.ConfigFactory");
      Class<?> configClass = isolated.loadClass("com.typesafe.config.Config");
      Object config = configFactory.getMethod("load", ClassLoader.class).invoke(null, isolated);
      Method hasPath = configClass.getMethod("hasPath", String.class);
      // One setting from each module's reference.conf: actor, typed, stream, slf4j.
      for (String path : new String[] {"pekko.actor.default-dispatcher", "pekko.actor.typed.restart-stash-capacity",
          "pekko.stream.materializer.initial-input-buffer-size", "pekko.loggers"}) {
        assertThat((Boolean) hasPath.invoke(config, path)).as(path).isTrue();
      }

      Class<?> behaviors = isolated.loadClass("org.apache.pekko.actor.typed.javadsl.Behaviors");
      Class<?> behavior = isolated.loadClass("org.apache.pekko.actor.typed.Behavior");
      Class<?> actorSystem = isolated.loadClass("org.apache.pekko.actor.typed.ActorSystem");
      Object system = actorSystem.getMethod("create", behavior, String.class, configClass)
          .invoke(null, behaviors.getMethod("empty").invoke(null), "jar-check", config);
      try {
        assertThat(actorSystem.getMethod("name").invoke(system)).isEqualTo("jar-check");
      } finally {
        actorSystem.getMethod("terminate").invoke(system);
        Object done = actorSystem.getMethod("getWhenTerminated").invoke(system);
        ((CompletionStage<?>) done).toCompletableFuture().get(30, TimeUnit.SECONDS);
      }
    } finally {
      Thread.currentThread().setContextClassLoader(previous);
    }
  }
}
