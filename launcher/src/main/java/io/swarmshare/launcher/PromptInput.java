package io.swarmshare.launcher;

import io.swarmshare.messages.MalformedMessageException;
import io.swarmshare.messages.tracker.TrackerUrl;
import java.util.Locale;

/**
 * What a line typed at one of the prompt's questions means. {@code help}, {@code quit} and the end of
 * input mean the same at every question, so that a person can always ask or leave; the rest is the
 * question's own answer.
 */
sealed interface PromptInput {

  /** The words every question understands; NOTHING is a blank line, which asks the question again. */
  enum Word implements PromptInput { HELP, QUIT, NOTHING }

  /** A command line at the prompt, trimmed. */
  record Text(String text) implements PromptInput {}

  /** A well-formed answer to the first question. */
  record Tracker(TrackerUrl url) implements PromptInput {}

  /** An answer to the first question that is not a tracker URL, and why, in one line. */
  record Wrong(String why) implements PromptInput {}

  /** A line at any question; {@code null} is the end of input (Ctrl-D), which leaves as {@code quit} does. */
  static PromptInput of(String line) {
    if (line == null) {
      return Word.QUIT;
    }
    String text = line.trim();
    return switch (text.split("\\s+", 2)[0].toLowerCase(Locale.ROOT)) {
      case "" -> Word.NOTHING;
      case "help", "?" -> Word.HELP;
      case "quit", "exit" -> Word.QUIT;
      default -> new Text(text);
    };
  }

  /** A line at the first question: as {@link #of}, with any other text read as a tracker URL. */
  static PromptInput tracker(String line) {
    PromptInput input = of(line);
    if (!(input instanceof Text text)) {
      return input;
    }
    try {
      return new Tracker(TrackerUrl.parse(text.text()));
    } catch (MalformedMessageException e) {
      return new Wrong(e.getMessage());
    }
  }
}
