package io.swarmshare.launcher;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import io.swarmshare.messages.MalformedMessageException;
import io.swarmshare.messages.Printable;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.NoSuchFileException;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine;

/**
 * The {@code swarmshare} command. Exit codes: 0 success, 1 the command failed (one line on
 * stderr says why), 2 the command line itself was wrong (usage on stderr).
 */
@Command(
    name = "swarmshare",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = "Peer-to-peer file sharing that speaks BitTorrent.",
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:success", "1:the command failed; stderr says why", "2:bad command line"})
public final class Main implements Runnable {

  public static final int FAILED = 1;
  public static final int USAGE = 2;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  private static boolean verbose;

  @CommandLine.Option(names = {"-v", "--verbose"}, scope = CommandLine.ScopeType.INHERIT,
      description = "More logs: swarmshare's DEBUG lines (connections, pieces, trackers).")
  void verbose(boolean on) {
    if (on) {
      verbose = true;
      ((Logger) LoggerFactory.getLogger("io.swarmshare")).setLevel(Level.DEBUG);
    }
  }

  @CommandLine.Option(names = {"-q", "--quiet"}, scope = CommandLine.ScopeType.INHERIT,
      description = "Fewer logs: warnings and errors only.")
  void quiet(boolean on) {
    if (on) {
      ((Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME)).setLevel(Level.WARN);
    }
  }

  /** Whether --verbose was given, for commands that are quieter than INFO by default. */
  static boolean verbose() {
    return verbose;
  }

  private static final String COMMON_PARALLELISM = "java.util.concurrent.ForkJoinPool.common.parallelism";

  /**
   * On two cores or fewer the JDK's common pool has one thread, and CompletableFuture then starts
   * a new thread for every asynchronous stage it would run there. Every ask through Pekko's Java
   * API makes one: the futures it converts from Scala run even thenApply asynchronously. That
   * cost each RPC request a thread; a common pool of two threads at least runs them on pooled
   * threads. Set before anything uses the pool, which reads it once; a value given with -D wins.
   */
  private static void commonPoolOfTwoAtLeast() {
    if (System.getProperty(COMMON_PARALLELISM) == null) {
      System.setProperty(COMMON_PARALLELISM,
          Integer.toString(Math.max(2, Runtime.getRuntime().availableProcessors() - 1)));
    }
  }

  public static void main(String[] args) {
    commonPoolOfTwoAtLeast();
    // Logback starts here, on one thread, before any actor system can log concurrently.
    LoggerFactory.getLogger(Main.class);
    System.exit(run(args));
  }

  /** The subcommands, in the order the usage lists them. */
  private static final List<Class<?>> COMMANDS = List.of(DemoCommand.class, CreateCommand.class, InfoCommand.class,
      TrackerCommand.class, ListCommand.class, ShareCommand.class, GetCommand.class, PromptCommand.class,
      NodeCommand.class, SwarmCommand.class, DaemonCommand.class, RemoteCommand.class, CommandLine.HelpCommand.class);

  static int run(String... args) {
    CommandLine line = new CommandLine(new Main());
    addCommands(line, args);
    line.setExecutionExceptionHandler((e, cmd, parsed) -> {
      cmd.getErr().println("swarmshare: " + describe(e));
      return FAILED;
    });
    line.setParameterExceptionHandler((e, argv) -> {
      PrintWriter err = e.getCommandLine().getErr();
      err.println("swarmshare: " + e.getMessage() + " (see '"
          + e.getCommandLine().getCommandSpec().qualifiedName() + " --help')");
      return USAGE;
    });
    return line.execute(args);
  }

  /**
   * Only the command named, when one is: picocli reads every command's options when it is added,
   * and all of them cost a process about 50 ms of its start. Without one, or for help, or for a
   * name that is not a command (picocli then suggests the nearest), all of them.
   */
  private static void addCommands(CommandLine line, String[] args) {
    // Main's own options take no values, so the first word that is not one names the command.
    String named = Arrays.stream(args).filter(a -> !a.startsWith("-")).findFirst().orElse("help");
    Optional<Class<?>> one = named.equals("help") ? Optional.empty()
        : COMMANDS.stream().filter(c -> c.getAnnotation(Command.class).name().equals(named)).findFirst();
    one.ifPresentOrElse(line::addSubcommand, () -> COMMANDS.forEach(line::addSubcommand));
  }

  /** With no command: the prompt on a terminal, the usage otherwise. */
  @Override
  public void run() {
    if (System.console() != null) {
      spec.commandLine().getSubcommands().get("prompt").execute();
      return;
    }
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /**
   * One line that tells a person what went wrong, never a stack trace; escaped, since it may
   * quote a name or a message from the network.
   */
  static String describe(Throwable e) {
    // The codecs' messages are escaped already.
    return e instanceof MalformedMessageException ? e.getMessage() : Printable.escape(unescaped(e));
  }

  private static String unescaped(Throwable e) {
    if (e instanceof UncheckedIOException u) {
      return unescaped(u.getCause());
    }
    if (e instanceof NoSuchFileException n) {
      return n.getFile() + ": no such file or directory";
    }
    if (e instanceof FileAlreadyExistsException f) {
      return f.getFile() + ": already exists" + (f.getReason() == null ? "" : "; " + f.getReason());
    }
    if (e instanceof AccessDeniedException a) {
      return a.getFile() + ": permission denied";
    }
    if (e instanceof IOException
        || e instanceof CommandFailure
        || e instanceof IllegalArgumentException) {
      return e.getMessage();
    }
    return "unexpected " + e.getClass().getSimpleName() + ": " + e.getMessage();
  }

  /** A failure the command has already put into words. */
  static final class CommandFailure extends RuntimeException {
    CommandFailure(String message) {
      super(message);
    }
  }

  static final class Version implements IVersionProvider {

    /** This build's version, from the jar. */
    static String number() throws IOException {
      Properties p = new Properties();
      try (InputStream in = Main.class.getResourceAsStream("/swarmshare-version.properties")) {
        if (in != null) {
          p.load(in);
        }
      }
      return p.getProperty("version", "unknown");
    }

    @Override
    public String[] getVersion() throws IOException {
      return new String[] {
        "swarmshare " + number(),
        "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vm.name") + ")"
      };
    }
  }
}
