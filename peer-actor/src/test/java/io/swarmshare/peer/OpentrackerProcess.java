package io.swarmshare.peer;

import io.swarmshare.messages.InfoHash;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.ServerSocket;
import java.net.SocketException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** A real opentracker on loopback, on a free port, that tracks only the info hashes it is given. */
public final class OpentrackerProcess implements AutoCloseable {

  private final Process process;
  public final int port;

  private OpentrackerProcess(Process process, int port) {
    this.process = process;
    this.port = port;
  }

  public static OpentrackerProcess start(Path dir, InfoHash... whitelisted) throws Exception {
    RealTools.requireOpentracker();
    // opentracker drops to 'nobody' and chroots into -d, so the directory must be readable to it.
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
    Path whitelist = Files.writeString(dir.resolve("whitelist"),
        Stream.of(whitelisted).map(h -> h.hex() + "\n").collect(Collectors.joining()));
    Files.setPosixFilePermissions(whitelist, PosixFilePermissions.fromString("rw-r--r--"));
    int port = freePort();
    Process process = new ProcessBuilder(RealTools.OPENTRACKER.toString(), "-i", "127.0.0.1", "-p",
        String.valueOf(port), "-P", String.valueOf(port), "-d", dir.toString(), "-w", "whitelist")
        .redirectErrorStream(true).redirectOutput(dir.resolve("opentracker.log").toFile()).start();
    return new OpentrackerProcess(process, port);
  }

  public String url(String scheme) {
    return scheme + "://127.0.0.1:" + port + "/announce";
  }

  /** A port free for both TCP and UDP, since opentracker takes both. */
  private static int freePort() throws IOException {
    for (int attempt = 0; attempt < 20; attempt++) {
      int port;
      try (ServerSocket tcp = new ServerSocket(0)) {
        port = tcp.getLocalPort();
      }
      try (DatagramSocket udp = new DatagramSocket(port)) {
        return port;
      } catch (SocketException taken) {
        // try another
      }
    }
    throw new IOException("no port free for both TCP and UDP");
  }

  @Override
  public void close() {
    process.destroy();
    try {
      process.waitFor(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
