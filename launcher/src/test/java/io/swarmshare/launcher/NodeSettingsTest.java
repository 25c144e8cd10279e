package io.swarmshare.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.ConfigFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NodeSettingsTest {

  @Test
  void pathsAreRelativeToTheNodesFileAndNamesAreLeftAlone() {
    Path base = Path.of("/srv/nodes");
    NodeSettings node = NodeSettings.from(ConfigFactory.parseString("""
        swarmshare.node {
          name = n1
          data-dir = "data"
          share = ["../films/a.mkv"]
          fetch = ["incoming/b.torrent", "holiday.mp4", "magnet:?xt=urn:btih:c12fe1c06bba254a9dc9f519b335aa7c1367a88a"]
        }
        """).withFallback(NodeConfig.load(Map.of())), base, false);
    assertThat(node.dataDir()).isEqualTo(Path.of("/srv/nodes/data"));
    assertThat(node.share()).containsExactly(Path.of("/srv/films/a.mkv"));
    assertThat(node.fetch()).containsExactly("/srv/nodes/incoming/b.torrent", "holiday.mp4",
        "magnet:?xt=urn:btih:c12fe1c06bba254a9dc9f519b335aa7c1367a88a");
  }

  @Test
  void aDaemonSectionInTheFileItselfMakesTheNodesPeerADaemon(@TempDir Path dir) throws Exception {
    Path empty = Files.writeString(dir.resolve("empty.conf"), "swarmshare.node.name = a\nswarmshare.daemon {}\n");
    Path one = Files.writeString(dir.resolve("one.conf"), "swarmshare.daemon.rpc-port = 0\n");
    Path none = Files.writeString(dir.resolve("none.conf"), "swarmshare.peer.port = 0\n");
    assertThat(NodeFile.declares(empty, "swarmshare.daemon")).as("even an empty section").isTrue();
    assertThat(NodeFile.declares(one, "swarmshare.daemon")).isTrue();
    assertThat(NodeFile.declares(none, "swarmshare.daemon")).as("the defaults have one; the file has not").isFalse();
  }

  @Test
  void aDaemonIsAPeer() {
    assertThatThrownBy(() -> NodeSettings.from(ConfigFactory.parseString("swarmshare.node.roles = [tracker]")
        .withFallback(NodeConfig.load(Map.of())), Path.of("/srv"), true))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("swarmshare.daemon: a daemon is a peer, but swarmshare.node.roles has no peer");
    assertThat(NodeSettings.from(ConfigFactory.parseString("swarmshare.node.roles = [tracker, peer]")
        .withFallback(NodeConfig.load(Map.of())), Path.of("/srv"), true).daemon()).isTrue();
  }
}
