package io.swarmshare.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import io.swarmshare.messages.tracker.TrackerUrl;
import org.junit.jupiter.api.Test;

/** What a line at the prompt means: help, quit and the end of input at every question, the rest as the question's. */
class PromptInputTest {

  @Test
  void helpQuitAndTheEndOfInputMeanTheSameAtEveryQuestion() {
    for (String line : new String[] {"help", " HELP ", "?", "help list"}) {
      assertThat(PromptInput.of(line)).as(line).isEqualTo(PromptInput.Word.HELP);
      assertThat(PromptInput.tracker(line)).as(line).isEqualTo(PromptInput.Word.HELP);
    }
    for (String line : new String[] {"quit", "Exit", "quit now", null}) {
      assertThat(PromptInput.of(line)).as(line).isEqualTo(PromptInput.Word.QUIT);
      assertThat(PromptInput.tracker(line)).as(line).isEqualTo(PromptInput.Word.QUIT);
    }
    for (String line : new String[] {"", "   ", "\t"}) {
      assertThat(PromptInput.of(line)).isEqualTo(PromptInput.Word.NOTHING);
      assertThat(PromptInput.tracker(line)).isEqualTo(PromptInput.Word.NOTHING);
    }
  }

  @Test
  void anyOtherLineIsACommandAtThePrompt() {
    assertThat(PromptInput.of("  get notes.pdf ")).isEqualTo(new PromptInput.Text("get notes.pdf"));
    assertThat(PromptInput.of("helpful")).isEqualTo(new PromptInput.Text("helpful"));
  }

  @Test
  void atTheFirstQuestionItIsATrackerUrlOrWhyNotInOneLine() {
    assertThat(PromptInput.tracker(" udp://127.0.0.1:6969/announce "))
        .isEqualTo(new PromptInput.Tracker(TrackerUrl.parse("udp://127.0.0.1:6969/announce")));
    assertThat(why("ftp://127.0.0.1:21/announce")).contains("the scheme must be udp, http or https");
    assertThat(why("udp://127.0.0.1/announce")).contains("a udp tracker needs a port");
    assertThat(why("tracker example")).contains("bad tracker URL 'tracker example'");
    assertThat(why("localhost:6969")).contains("the scheme must be");
  }

  private static String why(String line) {
    PromptInput input = PromptInput.tracker(line);
    assertThat(input).as(line).isInstanceOf(PromptInput.Wrong.class);
    String why = ((PromptInput.Wrong) input).why();
    assertThat(why.lines()).as(line).hasSize(1);
    return why;
  }
}
