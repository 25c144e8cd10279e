package io.swarmshare.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigFactory;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

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
        """).withFallback(NodeConfig.load(Map.of())), base);
    assertThat(node.dataDir()).isEqualTo(Path.of("/srv/nodes/data"));
    assertThat(node.share()).containsExactly(Path.of("/srv/films/a.mkv"));
    assertThat(node.fetch()).containsExactly("/srv/nodes/incoming/b.torrent", "holiday.mp4",
        "magnet:?xt=urn:btih:c12fe1c06bba254a9dc9f519b335aa7c1367a88a");
  }
}
