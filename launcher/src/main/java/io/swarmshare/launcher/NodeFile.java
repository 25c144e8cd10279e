package io.swarmshare.launcher;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigOrigin;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A node's configuration file (HOCON), checked before anything starts: a syntax error, a key
 * swarmshare does not know, or a value of the wrong type is one line naming the file, the line
 * and the key. Then it is layered over the node's defaults ({@link NodeConfig}).
 */
final class NodeFile {

  private NodeFile() {}

  static Config load(Path file) throws NoSuchFileException {
    Config own = parse(file);
    Config defaults = NodeConfig.load(Map.of());
    List<String> problems = new ArrayList<>();
    for (Map.Entry<String, ConfigValue> entry : own.entrySet()) {
      String key = entry.getKey();
      if (key.startsWith("swarmshare.") && !defaults.hasPathOrNull(key)) {
        problems.add(where(entry.getValue().origin(), file) + "unknown key " + key);
      }
    }
    Config merged;
    try {
      merged = own.withFallback(defaults).resolve();
      merged.checkValid(defaults, "swarmshare");
    } catch (ConfigException.ValidationFailed e) {
      for (ConfigException.ValidationProblem p : e.problems()) {
        problems.add(where(p.origin(), file) + p.path() + ": " + p.problem());
      }
      merged = null;
    } catch (ConfigException e) {
      problems.add(where(e.origin(), file) + e.getMessage().replaceFirst("^.*?: \\d+: ", ""));
      merged = null;
    }
    if (merged != null) {
      for (Map.Entry<String, ConfigValue> entry : own.entrySet()) {
        String key = entry.getKey();
        if (key.startsWith("swarmshare.") && defaults.hasPath(key)) {
          String problem = typeProblem(defaults, merged, key);
          if (problem != null) {
            problems.add(where(entry.getValue().origin(), file) + key + ": " + problem + ", got '"
                + entry.getValue().unwrapped() + "'");
          }
        }
      }
    }
    if (!problems.isEmpty()) {
      throw new Main.CommandFailure(problems.get(0)
          + (problems.size() > 1 ? " (and " + (problems.size() - 1) + " more problems)" : ""));
    }
    return merged;
  }

  /**
   * Whether the file itself, not the defaults under it, has a setting or section at {@code path}:
   * a {@code swarmshare.daemon} section makes a node's peer a daemon.
   */
  static boolean declares(Path file, String path) throws NoSuchFileException {
    return parse(file).hasPath(path);
  }

  private static Config parse(Path file) throws NoSuchFileException {
    if (!Files.isRegularFile(file)) {
      throw new NoSuchFileException(file.toString());
    }
    try {
      return ConfigFactory.parseFile(file.toFile(), ConfigParseOptions.defaults().setAllowMissing(false));
    } catch (ConfigException e) {
      throw new Main.CommandFailure(where(e.origin(), file) + e.getMessage().replaceFirst("^.*?: \\d+: ", ""));
    }
  }

  /**
   * What is wrong with a value's type, judged by its default: a number, a boolean, a duration
   * ("10 s") or a size ("1 MiB") must be one. HOCON's own check lets any string pass for them.
   */
  private static String typeProblem(Config defaults, Config merged, String key) {
    ConfigValueType expected = defaults.getValue(key).valueType();
    try {
      if (expected == ConfigValueType.NUMBER) {
        merged.getNumber(key);
      } else if (expected == ConfigValueType.BOOLEAN) {
        merged.getBoolean(key);
      } else if (expected == ConfigValueType.STRING && parses(() -> defaults.getDuration(key))) {
        merged.getDuration(key);
        return null;
      } else if (expected == ConfigValueType.STRING && parses(() -> defaults.getBytes(key))) {
        merged.getBytes(key);
      }
      return null;
    } catch (ConfigException e) {
      return switch (expected) {
        case NUMBER -> "expected a number";
        case BOOLEAN -> "expected true or false";
        default -> parses(() -> defaults.getDuration(key)) ? "expected a duration such as 10 s"
            : "expected a size such as 1 MiB";
      };
    }
  }

  private static boolean parses(Runnable read) {
    try {
      read.run();
      return true;
    } catch (ConfigException e) {
      return false;
    }
  }

  private static String where(ConfigOrigin origin, Path file) {
    return origin != null && origin.lineNumber() > 0 ? file + ":" + origin.lineNumber() + ": " : file + ": ";
  }
}
