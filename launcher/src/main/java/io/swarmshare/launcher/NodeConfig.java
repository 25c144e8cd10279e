package io.swarmshare.launcher;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.util.Map;

/**
 * A node's configuration, highest first: command-line options, system properties,
 * application.conf, the node's own library defaults (swarmshare-node.conf), every reference.conf.
 * The node defaults are a layer of their own because a merged reference.conf would let any
 * library's value win over ours.
 */
final class NodeConfig {

  private NodeConfig() {}

  static Config load(Map<String, ?> options) {
    return ConfigFactory.parseMap(options)
        .withFallback(ConfigFactory.defaultOverrides())
        .withFallback(ConfigFactory.defaultApplication())
        .withFallback(ConfigFactory.parseResources("swarmshare-node.conf"))
        .withFallback(ConfigFactory.defaultReference())
        .resolve();
  }
}
