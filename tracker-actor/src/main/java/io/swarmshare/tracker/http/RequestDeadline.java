package io.swarmshare.tracker.http;

import java.time.Duration;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.stream.Attributes;
import org.apache.pekko.stream.BidiShape;
import org.apache.pekko.stream.Inlet;
import org.apache.pekko.stream.Outlet;
import org.apache.pekko.stream.stage.AbstractInHandler;
import org.apache.pekko.stream.stage.AbstractOutHandler;
import org.apache.pekko.stream.stage.GraphStage;
import org.apache.pekko.stream.stage.GraphStageLogic;
import org.apache.pekko.stream.stage.TimerGraphStageLogic;

/**
 * Closes an HTTP connection whose client takes longer than {@code timeout} to send a request's
 * headers: counted from the connection's start, and from each answer on a kept-alive connection.
 * Pekko HTTP's idle-timeout alone lets a client that sends a header byte now and then (slowloris)
 * hold a connection for ever. Sits between the connection and the routes; a request is seen here
 * once its headers have been parsed, so while none is outstanding the clock runs.
 */
final class RequestDeadline extends GraphStage<BidiShape<HttpRequest, HttpRequest, HttpResponse, HttpResponse>> {

  private final Inlet<HttpRequest> requestsIn = Inlet.create("RequestDeadline.requestsIn");
  private final Outlet<HttpRequest> requestsOut = Outlet.create("RequestDeadline.requestsOut");
  private final Inlet<HttpResponse> responsesIn = Inlet.create("RequestDeadline.responsesIn");
  private final Outlet<HttpResponse> responsesOut = Outlet.create("RequestDeadline.responsesOut");
  private final BidiShape<HttpRequest, HttpRequest, HttpResponse, HttpResponse> shape =
      BidiShape.of(requestsIn, requestsOut, responsesIn, responsesOut);

  private final Duration timeout;
  private final Runnable onTimeout;

  RequestDeadline(Duration timeout, Runnable onTimeout) {
    this.timeout = timeout;
    this.onTimeout = onTimeout;
  }

  @Override
  public BidiShape<HttpRequest, HttpRequest, HttpResponse, HttpResponse> shape() {
    return shape;
  }

  @Override
  public GraphStageLogic createLogic(Attributes attributes) {
    return new TimerGraphStageLogic(shape) {
      private static final String DEADLINE = "deadline";
      private int outstanding;

      {
        setHandler(requestsIn, new AbstractInHandler() {
          @Override
          public void onPush() {
            outstanding++;
            cancelTimer(DEADLINE);
            push(requestsOut, grab(requestsIn));
          }

          @Override
          public void onUpstreamFinish() {
            complete(requestsOut);
          }
        });
        setHandler(requestsOut, new AbstractOutHandler() {
          @Override
          public void onPull() {
            pull(requestsIn);
          }
        });
        setHandler(responsesIn, new AbstractInHandler() {
          @Override
          public void onPush() {
            push(responsesOut, grab(responsesIn));
            if (--outstanding == 0) {
              scheduleOnce(DEADLINE, timeout);
            }
          }

          @Override
          public void onUpstreamFinish() {
            complete(responsesOut);
          }
        });
        setHandler(responsesOut, new AbstractOutHandler() {
          @Override
          public void onPull() {
            pull(responsesIn);
          }
        });
      }

      @Override
      public void preStart() {
        scheduleOnce(DEADLINE, timeout);
      }

      @Override
      public void onTimer(Object key) {
        onTimeout.run();
        completeStage();
      }
    };
  }
}
