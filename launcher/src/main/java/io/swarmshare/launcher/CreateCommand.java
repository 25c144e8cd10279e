package io.swarmshare.launcher;

import io.swarmshare.messages.metainfo.Metainfo;
import io.swarmshare.messages.metainfo.TorrentCreator;
import io.swarmshare.messages.tracker.TrackerUrl;
import io.swarmshare.peer.storage.AtomicFile;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
    name = "create",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = "Make a .torrent for a file or a directory.")
final class CreateCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Parameters(paramLabel = "PATH", description = "The file or directory to describe.")
  Path path;

  @Option(names = {"-o", "--output"}, paramLabel = "OUT.torrent",
      description = "Where to write the torrent (default: NAME.torrent in the current directory).")
  Path output;

  @Option(names = "--tracker", paramLabel = "URL",
      description = "A tracker, udp://host:port/announce or http://host:port/announce; repeat for backups.")
  List<String> trackers = new ArrayList<>();

  @Option(names = "--piece-length", paramLabel = "BYTES", converter = ByteSize.class,
      description = "A power of two from 16K to 16M (default: chosen for 1,000-2,000 pieces).")
  Long pieceLength;

  @Option(names = "--comment", paramLabel = "TEXT", description = "A comment stored in the torrent.")
  String comment;

  @Option(names = "--threads", paramLabel = "N",
      description = "Hashing threads (default: one per core, ${DEFAULT-VALUE}).")
  int threads = Runtime.getRuntime().availableProcessors();

  @Option(names = "--force", description = "Overwrite OUT.torrent if it exists.")
  boolean force;

  @Override
  public Integer call() throws Exception {
    for (String url : trackers) {
      TrackerUrl.parse(url);
    }
    if (!Files.exists(path)) {
      throw new NoSuchFileException(path.toString());
    }
    TorrentCreator creator = TorrentCreator.of(path).trackers(trackers).threads(threads);
    if (pieceLength != null) {
      if (pieceLength > Integer.MAX_VALUE) {
        throw new IllegalArgumentException("--piece-length " + pieceLength + " is too large");
      }
      creator.pieceLength(pieceLength.intValue());
    }
    if (comment != null) {
      creator.comment(comment);
    }
    Path out = output != null ? output : Path.of(nameOf(path) + ".torrent");
    if (Files.exists(out) && !force) {
      throw new FileAlreadyExistsException(out.toString(), null, "use --force to overwrite it");
    }
    Metainfo metainfo = creator.create();
    AtomicFile.write(out, metainfo.encode());
    spec.commandLine().getOut().printf("created %s%n", out);
    TorrentSummary.of(metainfo).printText(spec.commandLine().getOut());
    return 0;
  }

  private static String nameOf(Path path) {
    Path name = path.toAbsolutePath().normalize().getFileName();
    return name == null ? "torrent" : name.toString();
  }


}
