package io.swarmshare.launcher;

import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The command line's one JSON mapper. It lives here, not in a static field of a command, because
 * picocli builds every subcommand at start-up: Jackson then loads when a command first speaks
 * JSON rather than on every run (about 0.3 s of a fresh process's start).
 */
final class Json {

  static final ObjectMapper MAPPER = new ObjectMapper();

  private Json() {}
}
