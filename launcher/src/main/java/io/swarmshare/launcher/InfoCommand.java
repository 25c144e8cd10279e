package io.swarmshare.launcher;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(
    name = "info",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = "Show what a .torrent holds: name, info hash, sizes, trackers and files.")
final class InfoCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Parameters(paramLabel = "TORRENT", description = "The .torrent file to read.")
  Path torrent;

  @Option(names = "--json", description = "Print one JSON object instead of text.")
  boolean json;

  @Override
  public Integer call() throws Exception {
    TorrentSummary summary = TorrentSummary.of(TorrentFinder.read(torrent));
    if (json) {
      summary.printJson(spec.commandLine().getOut());
    } else {
      summary.printText(spec.commandLine().getOut());
    }
    return 0;
  }
}
