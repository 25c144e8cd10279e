package io.swarmshare.web;

import java.util.List;
import org.apache.pekko.http.javadsl.model.HttpHeader;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;

/**
 * What the daemon's page and the tracker's page share on the server: the headers every response
 * of theirs carries, and the resources of the script and style both pages load before their own,
 * which each serves at {@code /web/common/} ({@code common.js}, {@code common.css}).
 */
public final class PageFiles {

  /** Only the page's own files, never in a frame (a click on another site's page must not be ours). */
  public static final List<HttpHeader> HEADERS = List.of(
      RawHeader.create("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; "
          + "frame-ancestors 'none'; base-uri 'none'; form-action 'self'"),
      RawHeader.create("X-Frame-Options", "DENY"),
      RawHeader.create("X-Content-Type-Options", "nosniff"),
      RawHeader.create("Referrer-Policy", "no-referrer"),
      RawHeader.create("Cache-Control", "no-cache"));

  /** The resource directory of common.js and common.css. */
  public static final String COMMON = "io/swarmshare/web/static";

  private PageFiles() {}
}
